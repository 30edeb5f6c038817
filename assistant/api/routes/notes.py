"""Documentation co-pilot endpoint."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.api.deps import RuntimeDep
from assistant.copilot.models import CheckRequest, CheckResponse
from assistant.copilot.service import check_note

router = APIRouter(prefix="/v1/notes", tags=["co-pilot"])


@router.post("/check", response_model=CheckResponse)
async def check(body: CheckRequest, runtime: RuntimeDep) -> CheckResponse:
    """The payer's checklist for a note: met items with quotes, gaps with a sentence to confirm."""
    return await check_note(runtime, body)
