"""assemble_evidence: the payer's criteria for the code and the record's quotes for each."""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph.runtime import Runtime

from assistant.appeals.evidence import document, gather_criteria
from assistant.appeals.models import Denial
from assistant.workflows.state import AppealState, WorkflowContext


def assemble_evidence(state: AppealState, runtime: Runtime[WorkflowContext]) -> dict[str, Any]:
    """Criteria met / unmet from the supplied notes plus any clinical input added since."""
    checker = runtime.context.checker
    denial = Denial.model_validate(state["classification"]["denial"])
    docs = [document(n["name"], n["text"], n.get("kind", "progress note")) for n in [*state["notes"], *state.get("clinical_input", [])]]
    day = next(iter(denial.dates_of_service), None)
    payer = denial.payer if denial.payer in checker.registry.payers else None
    pack = checker.registry.resolve(payer, day)
    criteria, warnings = asyncio.run(gather_criteria(denial, pack, checker, docs))
    return {"criteria": [c.model_dump(mode="json") for c in criteria], "warnings": warnings}
