"""Documentation co-pilot endpoint."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from assistant.api.deps import RuntimeDep
from assistant.auth.deps import require
from assistant.copilot.models import CheckRequest, CheckResponse
from assistant.copilot.service import check_note
from assistant.scribe.models import DraftRequest, DraftResponse
from assistant.scribe.service import draft_note

router = APIRouter(prefix="/v1/notes", tags=["co-pilot"])


@router.post("/check", response_model=CheckResponse, dependencies=[Depends(require("check.run"))])
async def check(body: CheckRequest, runtime: RuntimeDep) -> CheckResponse:
    """The payer's checklist for a note: met items with quotes, gaps with a sentence to confirm."""
    return await check_note(runtime, body)


@router.post("/draft", response_model=DraftResponse, dependencies=[Depends(require("note.create"))])
async def draft(body: DraftRequest, runtime: RuntimeDep) -> DraftResponse:
    """A pseudonymized draft progress note from a transcript; every sentence cites its lines."""
    return await draft_note(runtime, body)
