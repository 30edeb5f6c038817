"""Cases with review gates: start note and appeal cases, read them, decide, see your queue and tasks."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import BaseModel, Field, ValidationError

from assistant.api.deps import RuntimeDep
from assistant.audit import BREAK_GLASS
from assistant.auth.deps import CurrentUser, PermissionDeniedError, authorize, require
from assistant.auth.policy import MIN_REASON_CHARS, Resource, can_break_glass
from assistant.auth.users import User
from assistant.errors import InputTooLargeError, InvalidInputError, NotFoundError
from assistant.inputs import check_text, decode_text
from assistant.runtime import Runtime
from assistant.workflows.service import CaseService, CaseView
from assistant.workflows.state import ReviewDecision

router = APIRouter(prefix="/v1", tags=["cases"])
_services: dict[int, CaseService] = {}


def cases(runtime: Runtime) -> CaseService:
    """One case service per runtime (graphs and checkpointer open once)."""
    if id(runtime) not in _services:
        _services[id(runtime)] = CaseService(runtime)
    return _services[id(runtime)]


class NoteCaseRequest(BaseModel):
    """``POST /v1/cases/notes`` body."""

    transcript: str
    cpt: str | None = Field(default=None, pattern=r"^\d{5}$")
    payer: str | None = None
    minutes: int | None = Field(default=None, ge=0, le=720)
    format: str | None = Field(default=None, pattern=r"^(SOAP|DAP|BIRP|GIRP)$")
    authorization_id: str | None = Field(default=None, max_length=36,
                                         description="The signed note counts toward this authorization's review items.")


class DecisionRequest(BaseModel):
    """``POST /v1/cases/{id}/decision`` body."""

    action: str = Field(pattern=r"^(approve|edit|reject|request_clinical_input)$")
    text: str | None = None
    reason: str | None = None


_GATE_ACTION = {
    ("note", "approve"): "note.review", ("note", "edit"): "note.review", ("note", "reject"): "note.review",
    ("appeal", "approve"): "appeal.review", ("appeal", "edit"): "appeal.review", ("appeal", "reject"): "appeal.review",
    ("appeal", "request_clinical_input"): "appeal.request_clinical_input",
}


def _resource(svc: CaseService, case_id: str) -> tuple[Resource, dict[str, Any]]:
    row = svc.records.get(case_id)
    if row is None:
        raise NotFoundError("no such case", "case_id")
    return Resource(tenant=str(row["tenant"]), owner_id=str(row["owner"]), kind=str(row["kind"])), row


@router.post("/cases/notes", response_model=CaseView, status_code=201)
async def create_note_case(body: NoteCaseRequest, runtime: RuntimeDep,
                           user: Annotated[User, Depends(require("note.create"))]) -> CaseView:
    """Start a note case from a transcript; it stops at the clinician's review gate."""
    check_text(body.transcript, "transcript", runtime.settings.max_input_bytes)
    return await asyncio.to_thread(cases(runtime).start_note, body.transcript, owner=user.id, tenant=user.tenant,
                                   cpt=body.cpt, payer=body.payer, minutes=body.minutes, note_format=body.format,
                                   authorization_id=body.authorization_id)


@router.post("/cases/appeals", response_model=CaseView, status_code=201)
async def create_appeal_case(
    runtime: RuntimeDep, user: Annotated[User, Depends(require("appeal.create"))],
    file: Annotated[UploadFile, File(description="Denial letter / EOB / X12 835.")],
    notes: Annotated[list[UploadFile] | None, File(description="Progress notes.")] = None,
    claim: Annotated[str | None, Form()] = None,
) -> CaseView:
    """Start an appeal case; it stops at the biller's review gate."""
    limit = runtime.settings.max_input_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise InputTooLargeError(f"file is over the limit of {limit} bytes", "file")
    if not data.strip():
        raise InvalidInputError("file is empty", "file")
    docs = [{"name": n.filename or "note.txt", "text": decode_text(await n.read(limit + 1), "notes", limit)} for n in notes or []]
    return await asyncio.to_thread(cases(runtime).start_appeal, data, file.filename or "denial.txt", docs,
                                   owner=user.id, tenant=user.tenant, claim=claim)


@router.get("/cases/{case_id}", response_model=CaseView)
async def get_case(case_id: str, runtime: RuntimeDep, user: CurrentUser) -> CaseView:
    """The case, its pending gate, draft and checklist (owner, billers for appeals, compliance, admin)."""
    svc = cases(runtime)
    resource, _ = _resource(svc, case_id)
    authorize(user, "case.read", resource)
    return svc.view(case_id)


@router.get("/cases/{case_id}/note")
async def signed_note(case_id: str, runtime: RuntimeDep, user: CurrentUser) -> dict[str, str]:
    """The signed, re-identified note (its owner or an admin; every read is audited)."""
    svc = cases(runtime)
    resource, _ = _resource(svc, case_id)
    authorize(user, "case.read", resource)
    if user.role == "compliance":
        raise PermissionDeniedError("compliance reads identified text only through break-glass", "case_id")
    text = svc.records.signed_note(case_id)
    if text is None:
        raise NotFoundError("the note is not signed yet", "case_id")
    runtime.audit.append(user.id, user.role, "read.identified", case_id, {"what": "signed note"}, tenant=user.tenant)
    return {"case_id": case_id, "text": text}


class BreakGlassRequest(BaseModel):
    """``POST /v1/cases/{id}/break-glass`` body: why identified text must be seen now."""

    reason: str = Field(min_length=MIN_REASON_CHARS, max_length=2000)


@router.post("/cases/{case_id}/break-glass")
async def break_glass(case_id: str, body: BreakGlassRequest, runtime: RuntimeDep, user: CurrentUser) -> dict[str, str]:
    """Compliance's audited emergency read of identified text (signed note, or the re-identified draft)."""
    svc = cases(runtime)
    resource, _ = _resource(svc, case_id)
    if not can_break_glass(user, body.reason, tenant=resource.tenant):
        raise PermissionDeniedError("break-glass is for compliance officers of this practice, with a reason", "reason")
    text = svc.records.signed_note(case_id)
    what = "signed note"
    if text is None:
        view = svc.view(case_id)
        if view.pending is None or not view.pending.text:
            raise NotFoundError("the case has no text to show", "case_id")
        text, what = svc.records.vault.reidentify(view.pending.text, case_id), "draft"  # type: ignore[attr-defined]
    runtime.audit.append(user.id, user.role, BREAK_GLASS, case_id, {"what": what, "reason": body.reason.strip()},
                         tenant=user.tenant)
    return {"case_id": case_id, "what": what, "text": text}


@router.post("/cases/{case_id}/decision", response_model=CaseView)
async def decide(case_id: str, body: DecisionRequest, runtime: RuntimeDep, user: CurrentUser) -> CaseView:
    """Approve, edit, reject or request clinical input at the case's gate (the gate's role only)."""
    svc = cases(runtime)
    resource, _ = _resource(svc, case_id)
    view = svc.view(case_id)
    if view.pending is None:
        raise InvalidInputError(f"case is not waiting for a review (status {view.status})", "case_id")
    if view.kind == "appeal" and view.pending.role == "clinician":
        authorize(user, "task.complete", Resource(tenant=resource.tenant, owner_id=None if user.role == "clinician" else "-", kind="appeal"))
    else:
        authorize(user, _GATE_ACTION.get((view.kind, body.action), "note.review"), resource)
    try:
        decision = ReviewDecision(action=body.action, text=body.text, reason=body.reason, actor=user.id)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise InvalidInputError(exc.errors()[0]["msg"], "action") from None
    return await asyncio.to_thread(svc.decide, case_id, decision)


@router.get("/reviews", response_model=list[CaseView])
async def reviews(runtime: RuntimeDep, user: CurrentUser) -> list[CaseView]:
    """Cases waiting at a gate the caller's role owns, in the caller's practice."""
    svc = cases(runtime)
    out = []
    for row in svc.records.list_cases(user.tenant):
        view = svc.view(str(row["case_id"]))
        if view.pending is None:
            continue
        mine = (view.pending.role == "clinician" and user.role == "clinician" and (view.kind == "appeal" or row["owner"] == user.id)) \
            or (view.pending.role == "biller" and user.role == "biller") or user.role == "admin"
        if mine:
            out.append(view)
    return out


@router.get("/tasks")
async def tasks(runtime: RuntimeDep, user: CurrentUser) -> dict[str, list[dict[str, Any]]]:
    """Open tasks for the caller's role (clinical-input requests go to clinicians)."""
    svc = cases(runtime)
    role = {"clinician": "clinical_liaison"}.get(user.role, user.role)
    own = {str(r["case_id"]) for r in svc.records.list_cases(user.tenant)}
    rows = [r for r in svc.records.list_tasks(None if user.role == "admin" else role) if str(r["case_id"]) in own]
    return {"tasks": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]}
