"""The biller's pages: the denial queue, uploading a denial, the appeal case with its criteria, letter and decision."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import ValidationError

from assistant.auth.users import User
from assistant.errors import InputTooLargeError, InvalidInputError, NotFoundError
from assistant.inputs import decode_text
from assistant.web.access import load_case, own_cases, service
from assistant.web.guards import WebError, WebRoute, csrf_protect, role_page
from assistant.web.templating import render
from assistant.workflows.state import ReviewDecision

router = APIRouter(prefix="/ui/biller", route_class=WebRoute, dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)
Biller = Annotated[User, Depends(role_page("biller"))]
ACTIONS = ("approve", "edit", "reject", "request_clinical_input")


def _amount(denial: dict[str, Any]) -> float:
    if denial.get("denied") is not None:
        return float(denial["denied"])
    billed, paid = denial.get("billed"), denial.get("paid")
    return float(billed or 0) - float(paid or 0)


def queue_row(row: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    """One denial-queue line from a case row and its graph state."""
    cls = state.get("classification") or {}
    denial = cls.get("denial") or {}
    return {"case_id": row["case_id"], "status": state.get("status", row["status"]), "created_at": row["created_at"],
            "root_cause": cls.get("root_cause") or "unclassified", "routes": cls.get("routes") or [],
            "deadline": cls.get("deadline"), "amount": _amount(denial), "payer": denial.get("payer"),
            "claim": denial.get("claim_id"), "carc": denial.get("carc") or []}


def sort_queue(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Earliest deadline first (none last), then the largest amount."""
    return sorted(rows, key=lambda r: (r["deadline"] is None, str(r["deadline"] or ""), -r["amount"]))


@router.get("")
async def queue(request: Request, user: Biller, root_cause: str = "", route: str = "") -> Response:
    """The denial queue, sorted by deadline then amount, filterable by root cause and route."""
    svc = service(request)
    rows = [queue_row(r, await asyncio.to_thread(svc.state, str(r["case_id"]))) for r in own_cases(request, user, "appeal")]
    causes = sorted({r["root_cause"] for r in rows})
    routes = sorted({x for r in rows for x in r["routes"]})
    shown = [r for r in rows if (not root_cause or r["root_cause"] == root_cause) and (not route or route in r["routes"])]
    return render(request, "biller/queue.html", {"rows": sort_queue(shown), "causes": causes, "routes": routes,
                                                 "root_cause": root_cause, "route": route})


@router.post("/appeals")
async def upload(
    request: Request, user: Biller,
    file: Annotated[UploadFile | None, File()] = None, letter: Annotated[str, Form()] = "",
    notes: Annotated[list[UploadFile] | None, File()] = None, claim: Annotated[str, Form()] = "",
) -> Response:
    """Start an appeal case from a denial (uploaded letter, PDF or 835, or pasted letter text) and notes."""
    limit = request.app.state.runtime.settings.max_input_bytes
    if file is not None and file.filename:
        data, name = await file.read(limit + 1), file.filename
    else:
        data, name = letter.replace("\r\n", "\n").encode(), "denial.txt"
    if len(data) > limit:
        raise InputTooLargeError(f"the denial is over the limit of {limit} bytes", "file")
    if not data.strip():
        raise InvalidInputError("choose a denial file or paste the letter", "file")
    docs = [{"name": n.filename, "text": decode_text(await n.read(limit + 1), "notes", limit)}
            for n in notes or [] if n.filename]
    view = await asyncio.to_thread(service(request).start_appeal, data, name, docs, owner=user.id, tenant=user.tenant,
                                   claim=claim.strip() or None)
    return RedirectResponse(f"/ui/biller/cases/{view.case_id}", status_code=303)


@router.get("/cases/{case_id}")
async def case_page(request: Request, case_id: str, user: Biller) -> Response:
    """The appeal: classification, criteria table, warnings, the editable letter and the decision buttons."""
    load_case(request, user, case_id, kind="appeal")
    svc = service(request)
    view = await asyncio.to_thread(svc.view, case_id)
    state = await asyncio.to_thread(svc.state, case_id)
    return render(request, "biller/case.html", {
        "view": view, "state": state, "cls": state.get("classification") or {}, "criteria": state.get("criteria") or [],
        "warnings": state.get("warnings") or [], "verification": state.get("verification") or [],
        "letter": state.get("letter", ""), "submitted": svc.records.submission(case_id) is not None,
        "decision": state.get("decision") or {},
    })


@router.post("/cases/{case_id}/decision")
async def decide(request: Request, case_id: str, user: Biller, action: Annotated[str, Form()],
                 letter: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "") -> Response:
    """Approve (an edited letter is saved first), save an edit, reject, or ask for clinical input."""
    gate = "appeal.request_clinical_input" if action == "request_clinical_input" else "appeal.review"
    load_case(request, user, case_id, action=gate, kind="appeal")
    if action not in ACTIONS:
        raise InvalidInputError(f"action is one of {', '.join(ACTIONS)}", "action")
    svc = service(request)
    view = await asyncio.to_thread(svc.view, case_id)
    if view.pending is None or view.pending.role != "biller":
        raise WebError(409, f"This appeal is not waiting for the biller (status {view.status}).")
    text = letter.replace("\r\n", "\n").strip()
    try:
        steps = []
        if action in ("approve", "edit") and text and text != view.pending.text.strip():
            steps.append(ReviewDecision(action="edit", text=text, actor=user.id))
        if action != "edit":
            steps.append(ReviewDecision(action=action, reason=reason or None, actor=user.id))  # type: ignore[arg-type]
    except ValidationError as exc:
        raise WebError(422, str(exc.errors()[0]["msg"]).removeprefix("Value error, ")) from None
    for step in steps:
        await asyncio.to_thread(svc.decide, case_id, step)
    return RedirectResponse(f"/ui/biller/cases/{case_id}", status_code=303)


@router.get("/cases/{case_id}/appeal.pdf")
async def pdf(request: Request, case_id: str, user: Biller) -> Response:
    """The approved appeal letter as a PDF download."""
    load_case(request, user, case_id, kind="appeal")
    submission = service(request).records.submission(case_id)
    if submission is None:
        raise NotFoundError("the appeal is not approved yet", "case_id")
    path = Path(json.loads(str(submission["files"])).get("pdf", ""))
    if not path.is_file():
        raise NotFoundError("the PDF is missing from the case folder", "case_id")
    return FileResponse(path, media_type="application/pdf", filename=f"appeal-{case_id[:8]}.pdf")
