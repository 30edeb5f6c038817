"""retrieve_policy: the payer's documentation passages for the code (their chunk ids go to the audit)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from assistant.workflows.state import NoteState, WorkflowContext


def retrieve_policy(state: NoteState, runtime: Runtime[WorkflowContext]) -> dict[str, Any]:
    """Chunk ids of the passages governing this code for this payer."""
    cpt, payer = state.get("cpt"), state.get("payer")
    if not cpt:
        return {"policy_chunks": []}
    hits = runtime.context.policy_store.search(f"documentation requirements for {cpt} psychotherapy note", payer=payer, cpt=cpt, k=5)
    return {"policy_chunks": [h.chunk_id for h in hits]}
