"""All human review gates. ``interrupt()`` comes first; nothing happens before it (a node re-runs on resume)."""

from __future__ import annotations

from typing import Literal

from langgraph.types import Command, interrupt

from assistant.workflows.state import NoteState, ReviewDecision, ReviewRequest


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
