"""draft_appeal: the letter from the evidence, and the citation check it must pass."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from assistant.appeals.letter import write_letter
from assistant.appeals.models import Classification, Criterion
from assistant.workflows.state import AppealState, WorkflowContext
from guardrails.citations import policy_citations, verify_policy_citations, verify_quotes


def draft_appeal(state: AppealState, runtime: Runtime[WorkflowContext]) -> dict[str, Any]:
    """The offline letter; quotes and policy citations verified against the record and the store."""
    classification = Classification.model_validate(state["classification"])
    criteria = [Criterion.model_validate(c) for c in state["criteria"]]
    if not classification.appealable:
        return {"letter": "", "verification": [], "status": "awaiting_review"}
    letter = write_letter(classification, criteria)
    sources = {n["name"]: n["text"] for n in [*state["notes"], *state.get("clinical_input", [])]}
    store = runtime.context.policy_store
    payer = classification.denial.payer

    def resolve(policy_id: str, section: str, version: str | None) -> str | None:
        hits = [h for h in store.get(policy_id, section, payer=payer) if version is None or h.version == version]
        return " ".join(h.text for h in hits) or None

    problems = verify_quotes(letter, sources) + verify_policy_citations(policy_citations(letter), resolve)
    return {"letter": letter, "verification": problems, "status": "awaiting_review"}


def recheck_letter(state: AppealState, runtime: Runtime[WorkflowContext]) -> dict[str, Any]:
    """After the biller's edit: the same citation check on the edited letter."""
    sources = {n["name"]: n["text"] for n in [*state["notes"], *state.get("clinical_input", [])]}
    store = runtime.context.policy_store
    payer = state["classification"]["denial"].get("payer")

    def resolve(policy_id: str, section: str, version: str | None) -> str | None:
        hits = [h for h in store.get(policy_id, section, payer=payer) if version is None or h.version == version]
        return " ".join(h.text for h in hits) or None

    letter = state["letter"]
    return {"verification": verify_quotes(letter, sources) + verify_policy_citations(policy_citations(letter), resolve)}
