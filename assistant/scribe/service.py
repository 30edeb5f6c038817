"""The scribe as a Parity capability: input checks, then the draft."""

from __future__ import annotations

from assistant.inputs import check_text
from assistant.runtime import Runtime
from assistant.scribe.models import DraftRequest, DraftResponse


async def draft_note(runtime: Runtime, request: DraftRequest) -> DraftResponse:
    """Draft a note from ``request.transcript`` (size, emptiness and binary checks first)."""
    check_text(request.transcript, "transcript", runtime.settings.max_input_bytes)
    result: DraftResponse = await runtime.scribe.draft(request)
    return result
