"""open_clinical_task: the biller asked for clinical input; the clinical liaison gets a task (once)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from assistant.workflows.state import AppealState, WorkflowContext


def open_clinical_task(state: AppealState, runtime: Runtime[WorkflowContext]) -> dict[str, Any]:
    """Create the task; keyed by case and request number, so a re-run creates nothing new."""
    number = len(state.get("clinical_input", [])) + 1
    reason = (state.get("decision") or {}).get("reason") or "clinical input requested"
    runtime.context.finalizer.open_task(state["case_id"], number, "clinical_liaison", reason)
    return {"status": "awaiting_clinical_input"}
