"""deidentify_input: the last PHI check before anything is drafted (input arrives pseudonymized)."""

from __future__ import annotations

from typing import Any

from assistant.workflows.state import NoteState
from guardrails.scanner import redact


def deidentify_input(state: NoteState) -> dict[str, Any]:
    """Redact anything identifying the pseudonymizer left behind."""
    return {"clean_transcript": redact(state["transcript"]), "status": "drafting"}
