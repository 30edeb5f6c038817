"""All human review gates. ``interrupt()`` comes first; nothing happens before it (a node re-runs on resume)."""

from __future__ import annotations

from typing import Literal

from langgraph.types import Command, interrupt

from assistant.workflows.state import AppealState, NoteState, ReviewDecision, ReviewRequest


def review_note(state: NoteState) -> Command[Literal["finalize_note", "check_gaps", "__end__"]]:
    """The clinician approves, edits (re-checked, then back here) or rejects with a reason."""
    answer = interrupt(ReviewRequest(
        case_id=state["case_id"], kind="note", role="clinician", text=state["note_text"],
        checklist=state.get("check"), allowed=["approve", "edit", "reject"],
    ).model_dump())
    decision = ReviewDecision.model_validate(answer)
    if decision.action == "approve":
        return Command(goto="finalize_note", update={"decision": decision.model_dump()})
    if decision.action == "edit":
        return Command(goto="check_gaps", update={
            "decision": decision.model_dump(), "note_text": decision.text, "revisions": state.get("revisions", 0) + 1,
        })
    if decision.action == "reject":
        return Command(goto="__end__", update={"decision": decision.model_dump(), "status": "rejected"})
    raise ValueError(f"{decision.action} is not a note review action")


def review_appeal(state: AppealState) -> Command[Literal["finalize_appeal", "recheck_letter", "open_clinical_task", "__end__"]]:
    """The biller approves (only a verified letter), edits, rejects, or asks the clinical liaison for input."""
    answer = interrupt(ReviewRequest(
        case_id=state["case_id"], kind="appeal", role="biller", text=state.get("letter", ""),
        checklist={"criteria": state.get("criteria", []), "warnings": state.get("warnings", []),
                   "verification": state.get("verification", []), "routes": state.get("routes", [])},
        allowed=["approve", "edit", "reject", "request_clinical_input"],
    ).model_dump())
    decision = ReviewDecision.model_validate(answer)
    if decision.action == "approve":
        if state.get("verification") or not state.get("letter"):
            return Command(goto="review_appeal", update={"decision": decision.model_dump(), "status": "blocked_unverified"})  # type: ignore[arg-type]
        return Command(goto="finalize_appeal", update={"decision": decision.model_dump()})
    if decision.action == "edit":
        return Command(goto="recheck_letter", update={"decision": decision.model_dump(), "letter": decision.text})
    if decision.action == "request_clinical_input":
        return Command(goto="open_clinical_task", update={"decision": decision.model_dump()})
    return Command(goto="__end__", update={"decision": decision.model_dump(), "status": "rejected"})


def await_clinical_input(state: AppealState) -> Command[Literal["assemble_evidence"]]:
    """The clinical liaison answers the task with a truthful, dated addendum or clarification they wrote."""
    answer = interrupt(ReviewRequest(
        case_id=state["case_id"], kind="appeal", role="clinician", text=(state.get("decision") or {}).get("reason") or "",
        allowed=["edit"],
    ).model_dump())
    decision = ReviewDecision.model_validate(answer)
    added = [*state.get("clinical_input", []), {"name": f"clinical-input-{len(state.get('clinical_input', [])) + 1}.txt",
                                                "text": decision.text or "", "kind": "clinician addendum"}]
    return Command(goto="assemble_evidence", update={"clinical_input": added, "status": "drafting"})
