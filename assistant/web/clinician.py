"""The clinician's pages: start a note from a transcript, review the draft beside it with the live checklist, sign."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from assistant.auth.users import User
from assistant.copilot.models import CheckRequest
from assistant.errors import InvalidInputError
from assistant.inputs import check_text, decode_text
from assistant.web.access import load_case, own_cases, service
from assistant.web.guards import WebError, WebRoute, csrf_protect, role_page
from assistant.web.templating import render
from assistant.workflows.state import ReviewDecision

router = APIRouter(prefix="/ui/clinician", route_class=WebRoute, dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)
Clinician = Annotated[User, Depends(role_page("clinician"))]
FORMATS = ("SOAP", "DAP", "BIRP", "GIRP")


def _text(value: str) -> str:
    """Browsers send textarea lines as CRLF; the graph's text uses LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _decision(**fields: Any) -> ReviewDecision:
    try:
        return ReviewDecision(**fields)
    except ValidationError as exc:
        raise WebError(422, str(exc.errors()[0]["msg"]).removeprefix("Value error, ")) from None


@router.get("")
async def home(request: Request, user: Clinician) -> Response:
    """The clinician's notes, the new-note form, and the before-the-session brief."""
    runtime = request.app.state.runtime
    brief = await asyncio.to_thread(runtime.authorizations.brief, user.id, dt.date.today(), user.tenant)
    return render(request, "clinician/home.html", {"cases": own_cases(request, user, "note", owner_only=True),
                                                    "brief": brief, "formats": FORMATS})


@router.post("/notes")
async def start_note(
    request: Request, user: Clinician,
    transcript: Annotated[str, Form()] = "", file: Annotated[UploadFile | None, File()] = None,
    note_format: Annotated[str, Form(alias="format")] = "SOAP", cpt: Annotated[str, Form()] = "90834",
    payer: Annotated[str, Form()] = "", minutes: Annotated[str, Form()] = "",
) -> Response:
    """Start a note case from a pasted or uploaded transcript; go to its review page."""
    limit = request.app.state.runtime.settings.max_input_bytes
    if file is not None and file.filename:
        transcript = decode_text(await file.read(limit + 1), "file", limit)
    transcript = _text(transcript)
    if not transcript:
        raise InvalidInputError("paste a transcript or choose a file", "transcript")
    check_text(transcript, "transcript", limit)
    if not re.fullmatch(r"\d{5}", cpt.strip()):
        raise InvalidInputError("the CPT code has five digits, e.g. 90834", "cpt")
    if note_format not in FORMATS:
        raise InvalidInputError(f"format is one of {', '.join(FORMATS)}", "format")
    if minutes.strip() and not (minutes.strip().isdigit() and int(minutes) <= 720):
        raise InvalidInputError("minutes is a whole number from 0 to 720", "minutes")
    view = await asyncio.to_thread(service(request).start_note, transcript, owner=user.id, tenant=user.tenant,
                                   cpt=cpt.strip(), payer=payer.strip() or None,
                                   minutes=int(minutes) if minutes.strip() else None, note_format=note_format)
    return RedirectResponse(f"/ui/clinician/cases/{view.case_id}", status_code=303)


@router.get("/cases/{case_id}")
async def case_page(request: Request, case_id: str, user: Clinician) -> Response:
    """The draft beside the transcript with the checklist; or the signed note (identified, audited)."""
    row = load_case(request, user, case_id, kind="note")
    svc = service(request)
    view = await asyncio.to_thread(svc.view, case_id)
    state = await asyncio.to_thread(svc.state, case_id)
    signed = svc.records.signed_note(case_id) if view.signed else None
    if signed is not None:
        request.app.state.runtime.audit.append(user.id, user.role, "read.identified", case_id,
                                               {"what": "signed note", "via": "web"}, tenant=str(row["tenant"]))
    lines = (state.get("clean_transcript") or state.get("transcript") or "").splitlines()
    checklist = (view.pending.checklist if view.pending else None) or state.get("check")
    return render(request, "clinician/case.html", {
        "view": view, "state": state, "signed_text": signed, "lines": lines,
        "sections": (state.get("draft") or {}).get("sections", []),
        "text": view.pending.text if view.pending else state.get("note_text", ""),
        "check": checklist, "decision": state.get("decision") or {},
    })


@router.post("/cases/{case_id}/check")
async def recheck(request: Request, case_id: str, user: Clinician, note: Annotated[str, Form()] = "") -> Response:
    """The checklist partial for the text being edited (htmx re-runs this as the clinician types)."""
    load_case(request, user, case_id, kind="note")
    state = await asyncio.to_thread(service(request).state, case_id)
    check = None
    if state.get("cpt") and _text(note):
        result = await request.app.state.runtime.note_checker.check(CheckRequest(
            note=_text(note), cpt=state["cpt"], payer=state.get("payer"), minutes=state.get("minutes"),
            transcript=state.get("clean_transcript")))
        check = result.model_dump(mode="json")
    return render(request, "clinician/_checklist.html", {"check": check, "editable": True})


@router.post("/cases/{case_id}/sign")
async def sign(request: Request, case_id: str, user: Clinician, note: Annotated[str, Form()] = "") -> Response:
    """Approve and sign; an edited text is first recorded as an ``edit`` decision (re-checked), then approved."""
    load_case(request, user, case_id, action="note.review", kind="note")
    svc = service(request)
    view = await asyncio.to_thread(svc.view, case_id)
    if view.pending is None:
        raise WebError(409, f"This note is not waiting for review (status {view.status}).")
    text = _text(note)
    if text and text != _text(view.pending.text):
        await asyncio.to_thread(svc.decide, case_id, _decision(action="edit", text=text, actor=user.id))
    await asyncio.to_thread(svc.decide, case_id, _decision(action="approve", actor=user.id))
    return RedirectResponse(f"/ui/clinician/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/reject")
async def reject(request: Request, case_id: str, user: Clinician, reason: Annotated[str, Form()] = "") -> Response:
    """Reject the draft with a reason (nothing enters the record)."""
    load_case(request, user, case_id, action="note.review", kind="note")
    svc = service(request)
    decision = _decision(action="reject", reason=reason, actor=user.id)
    await asyncio.to_thread(svc.decide, case_id, decision)
    return RedirectResponse(f"/ui/clinician/cases/{case_id}", status_code=303)
