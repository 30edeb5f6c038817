"""check_gaps: the payer's checklist for the current note text (re-run after every edit)."""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph.runtime import Runtime

from assistant.copilot.models import CheckRequest
from assistant.workflows.state import NoteState, WorkflowContext


def check_gaps(state: NoteState, runtime: Runtime[WorkflowContext]) -> dict[str, Any]:
    """The co-pilot checklist, or ``None`` without a CPT code."""
    if not state.get("cpt"):
        return {"check": None, "status": "awaiting_review"}
    request = CheckRequest(note=state["note_text"], cpt=state["cpt"], payer=state.get("payer"), minutes=state.get("minutes"))
    result = asyncio.run(runtime.context.checker.check(request))
    return {"check": result.model_dump(mode="json"), "status": "awaiting_review"}
