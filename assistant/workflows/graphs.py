"""Graph wiring only: nodes and edges (the checkpointer comes from :mod:`assistant.workflows.checkpoints`)."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from assistant.workflows.gates import await_clinical_input, review_appeal, review_note
from assistant.workflows.nodes.assemble_evidence import assemble_evidence
from assistant.workflows.nodes.check_gaps import check_gaps
from assistant.workflows.nodes.classify_denial import classify_denial
from assistant.workflows.nodes.deidentify_input import deidentify_denial, deidentify_input
from assistant.workflows.nodes.draft_appeal import draft_appeal, recheck_letter
from assistant.workflows.nodes.draft_note import draft_note
from assistant.workflows.nodes.finalize_appeal import finalize_appeal
from assistant.workflows.nodes.finalize_note import finalize_note
from assistant.workflows.nodes.open_clinical_task import open_clinical_task
from assistant.workflows.nodes.retrieve_policy import retrieve_policy
from assistant.workflows.nodes.route_case import route_case
from assistant.workflows.state import AppealInput, AppealState, NoteInput, NoteState, WorkflowContext


def note_graph(checkpointer: Any) -> Any:
    """deidentify_input → retrieve_policy → draft_note → check_gaps → review_note → finalize_note."""
    builder = StateGraph(NoteState, input_schema=NoteInput, context_schema=WorkflowContext)
    builder.add_node("deidentify_input", deidentify_input)
    builder.add_node("retrieve_policy", retrieve_policy)
    builder.add_node("draft_note", draft_note)
    builder.add_node("check_gaps", check_gaps)
    builder.add_node("review_note", review_note)
    builder.add_node("finalize_note", finalize_note)
    builder.add_edge(START, "deidentify_input")
    builder.add_edge("deidentify_input", "retrieve_policy")
    builder.add_edge("retrieve_policy", "draft_note")
    builder.add_edge("draft_note", "check_gaps")
    builder.add_edge("check_gaps", "review_note")
    builder.add_edge("finalize_note", END)
    return builder.compile(checkpointer=checkpointer)


def appeal_graph(checkpointer: Any) -> Any:
    """The appeal case: classify, route, gather evidence, draft, biller's review, finalize.

    deidentify_input → classify_denial → route_case → retrieve_policy → assemble_evidence → draft_appeal
    → review_appeal → finalize_appeal; an edit goes through recheck_letter back to review; a request for
    clinical input opens a task and waits for the clinical liaison, then gathers the evidence again.
    """
    builder = StateGraph(AppealState, input_schema=AppealInput, context_schema=WorkflowContext)
    builder.add_node("deidentify_input", deidentify_denial)
    builder.add_node("classify_denial", classify_denial)
    builder.add_node("route_case", route_case)
    builder.add_node("retrieve_policy", retrieve_policy)
    builder.add_node("assemble_evidence", assemble_evidence)
    builder.add_node("draft_appeal", draft_appeal)
    builder.add_node("review_appeal", review_appeal)
    builder.add_node("recheck_letter", recheck_letter)
    builder.add_node("open_clinical_task", open_clinical_task)
    builder.add_node("await_clinical_input", await_clinical_input)
    builder.add_node("finalize_appeal", finalize_appeal)
    builder.add_edge(START, "deidentify_input")
    builder.add_edge("deidentify_input", "classify_denial")
    builder.add_edge("classify_denial", "route_case")
    builder.add_edge("route_case", "retrieve_policy")
    builder.add_edge("retrieve_policy", "assemble_evidence")
    builder.add_edge("assemble_evidence", "draft_appeal")
    builder.add_edge("draft_appeal", "review_appeal")
    builder.add_edge("recheck_letter", "review_appeal")
    builder.add_edge("open_clinical_task", "await_clinical_input")
    builder.add_edge("finalize_appeal", END)
    return builder.compile(checkpointer=checkpointer)
