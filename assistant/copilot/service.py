"""The co-pilot as a Parity capability: input checks, then the checker."""

from __future__ import annotations

from assistant.copilot.models import CheckRequest, CheckResponse
from assistant.inputs import check_text
from assistant.runtime import Runtime


async def check_note(runtime: Runtime, request: CheckRequest) -> CheckResponse:
    """Check ``request.note`` against the payer's rule pack (input limits enforced first)."""
    limit = runtime.settings.max_input_bytes
    check_text(request.note, "note", limit)
    if request.transcript is not None:
        check_text(request.transcript, "transcript", limit)
    return await runtime.note_checker.check(request)
