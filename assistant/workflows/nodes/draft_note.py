"""draft_note: the scribe's draft from the de-identified transcript."""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph.runtime import Runtime

from assistant.scribe.models import DraftRequest
from assistant.workflows.state import NoteState, WorkflowContext


def draft_note(state: NoteState, runtime: Runtime[WorkflowContext]) -> dict[str, Any]:
    """Draft the note (checked separately by check_gaps)."""
    request = DraftRequest(transcript=state["clean_transcript"], format=state.get("note_format"))  # type: ignore[arg-type]
    draft = asyncio.run(runtime.context.scribe.draft(request))
    return {"draft": draft.model_dump(mode="json", exclude={"check"}), "note_text": draft.text, "revisions": 0}
