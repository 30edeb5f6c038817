"""finalize_note: store the signed note (re-identified) exactly once per case."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from assistant.workflows.state import NoteState, WorkflowContext


def finalize_note(state: NoteState, runtime: Runtime[WorkflowContext]) -> dict[str, Any]:
    """Idempotent: a retry or a resume after a crash finds the stored note and changes nothing."""
    decision = state.get("decision") or {}
    runtime.context.finalizer.finalize_note(state["case_id"], state["note_text"], decision.get("actor", "unknown"))
    return {"status": "signed", "final_text": state["note_text"]}
