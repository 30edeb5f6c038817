"""finalize_appeal: render the approved letter and record the submission and deadline, once per case."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from assistant.workflows.state import AppealState, WorkflowContext


def finalize_appeal(state: AppealState, runtime: Runtime[WorkflowContext]) -> dict[str, Any]:
    """Idempotent: files are written atomically under the case folder; a retry rewrites the same bytes."""
    decision = state.get("decision") or {}
    files = runtime.context.finalizer.finalize_appeal(
        state["case_id"], state["letter"], decision.get("actor", "unknown"), state["classification"].get("deadline")
    )
    return {"status": "submitted", "files": files}
