"""Graph wiring only: nodes, edges and the checkpointer."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph

from assistant.workflows.gates import review_note
from assistant.workflows.nodes.check_gaps import check_gaps
from assistant.workflows.nodes.deidentify_input import deidentify_input
from assistant.workflows.nodes.draft_note import draft_note
from assistant.workflows.nodes.finalize_note import finalize_note
from assistant.workflows.nodes.retrieve_policy import retrieve_policy
from assistant.workflows.state import NoteInput, NoteState, WorkflowContext


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


def sqlite_checkpointer(path: Path) -> SqliteSaver:
    """The embedded checkpointer (one SQLite file; WAL so a reader never blocks the writer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    return SqliteSaver(conn)
