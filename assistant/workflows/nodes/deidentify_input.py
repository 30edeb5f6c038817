"""deidentify_input: the last PHI check before anything is drafted (input arrives pseudonymized)."""

from __future__ import annotations

from typing import Any

from assistant.workflows.state import AppealState, NoteState
from guardrails.scanner import redact


def deidentify_input(state: NoteState) -> dict[str, Any]:
    """Redact anything identifying the pseudonymizer left behind."""
    return {"clean_transcript": redact(state["transcript"]), "status": "drafting"}


def deidentify_denial(state: AppealState) -> dict[str, Any]:
    """The denial as anyone but the biller may see it (audit, model input): identifiers redacted."""
    import base64

    raw = base64.b64decode(state["denial_b64"])
    text = raw.decode("utf-8", "replace") if not raw.startswith(b"%PDF") else "(PDF denial)"
    return {"clean_denial": redact(text), "status": "classifying"}
