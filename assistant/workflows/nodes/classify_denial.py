"""classify_denial: root cause, appealability, action, deadline and level of the denial."""

from __future__ import annotations

import base64
from typing import Any

from langgraph.runtime import Runtime

from assistant.appeals.service import classify_file
from assistant.workflows.state import AppealState, WorkflowContext


def classify_denial(state: AppealState, runtime: Runtime[WorkflowContext]) -> dict[str, Any]:
    """Classify (and record the case for recurring-pattern routing)."""
    data = base64.b64decode(state["denial_b64"])
    result = classify_file(runtime.context.runtime, data, state["filename"], state.get("claim"))
    denial = result.denial
    cpt = next(iter(denial.cpt), None)
    return {"classification": result.model_dump(mode="json"), "cpt": cpt, "payer": denial.payer, "status": "classified"}
