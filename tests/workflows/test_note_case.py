"""Note case graph: the review gate's payload, approve / edit / reject, restart and idempotent finalize."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from qdrant_client import QdrantClient

from assistant.errors import InvalidInputError
from assistant.runtime import Runtime
from assistant.settings import Settings
from assistant.workflows.service import CaseService
from assistant.workflows.state import ReviewDecision
from retrieval.policy_store import PolicyStore
from tests.retrieval.conftest import HashEmbedder

TRANSCRIPT = (
    "Dr. Reyes: How was your week, Dana?\n"
    "Dana: I had 3 panic attacks and missed two days of work at Walmart.\n"
    "Dr. Reyes: Any thoughts of killing yourself?\n"
    "Dana: No, never.\n"
    "Dr. Reyes: Let's try cognitive restructuring. See you next week."
)


def service(data_dir: Path, database_url: str | None = None) -> CaseService:
    runtime = Runtime(Settings(data_dir=data_dir, env="test", database_url=database_url))
    store = PolicyStore(QdrantClient(":memory:"), HashEmbedder())
    store.ensure()
    runtime.__dict__["policy_store"] = store
    return CaseService(runtime)


def checkpoint_bytes(svc: CaseService, data_dir: Path) -> bytes:
    """Everything the checkpointer stored, as raw bytes (SQLite file tables or PostgreSQL tables)."""
    url = svc.runtime.settings.resolved_database_url
    if url.startswith("sqlite"):
        conn = sqlite3.connect(data_dir / "checkpoints.sqlite")
        rows = [r for t in ("checkpoints", "writes") for r in conn.execute(f"SELECT * FROM {t}").fetchall()]
    else:
        import psycopg

        from assistant.workflows.checkpoints import libpq_conninfo

        with psycopg.connect(libpq_conninfo(url)) as conn:
            rows = [r for t in ("checkpoints", "checkpoint_blobs", "checkpoint_writes")
                    for r in conn.execute(f"SELECT * FROM {t}").fetchall()]
    assert rows, "no checkpoint was written"
    return b"".join(v if isinstance(v, bytes) else str(v).encode() for row in rows for v in row)


@pytest.fixture
def svc(tmp_path: Path, database_url: str) -> CaseService:
    return service(tmp_path, database_url)


def test_case_stops_at_the_clinicians_gate_with_a_pseudonymized_draft(svc: CaseService, tmp_path: Path) -> None:
    view = svc.start_note(TRANSCRIPT, owner="clin-1", tenant="t1", cpt="90834", payer="lakeshore-health", minutes=45)
    assert view.status == "awaiting_review" and view.pending is not None
    assert view.pending.role == "clinician" and view.pending.allowed == ["approve", "edit", "reject"]
    assert "panic attacks" in view.pending.text and "Dana" not in view.pending.text and "Walmart" not in view.pending.text
    assert view.checklist is not None and view.checklist["cpt"] == "90834"
    blob = checkpoint_bytes(svc, tmp_path)
    assert b"Dana" not in blob and b"Walmart" not in blob and b"Reyes" not in blob  # checkpoints hold no identifiers


def test_edit_is_rechecked_and_comes_back_then_approve_signs_once(svc: CaseService) -> None:
    view = svc.start_note(TRANSCRIPT, owner="clin-1", tenant="t1", cpt="90834", minutes=45)
    assert view.pending is not None
    edited = view.pending.text + "\nGoal: fewer than 1 panic attack per week by June."
    view = svc.decide(view.case_id, ReviewDecision(action="edit", text=edited, actor="clin-1"))
    assert view.pending is not None and view.pending.text == edited  # back at the gate, re-checked
    goals = next(i for i in view.checklist["items"] if i["element"] == "treatment_plan_goals")  # type: ignore[index]
    assert goals["status"] == "met"
    view = svc.decide(view.case_id, ReviewDecision(action="approve", actor="clin-1"))
    assert view.status == "signed" and view.signed and view.pending is None
    note = svc.records.signed_note(view.case_id)
    assert note is not None and "fewer than 1 panic attack" in note and "Walmart" in note  # re-identified at finalize
    svc.records.finalize_note(view.case_id, "something else", "clin-1")  # a retry changes nothing
    assert svc.records.signed_note(view.case_id) == note
    events = svc.runtime.audit.events(case_id=view.case_id)
    assert [e.action for e in events] == ["case.create", "review.edit", "review.approve"]
    assert "+Goal: fewer than 1 panic attack" in events[1].details["diff"] and "Walmart" not in str(events[1].details)
    assert svc.runtime.audit.verify().ok


def test_reject_needs_a_reason_and_ends_the_case(svc: CaseService) -> None:
    view = svc.start_note(TRANSCRIPT, owner="clin-1", tenant="t1")
    with pytest.raises(ValueError, match="reason"):
        ReviewDecision(action="reject", actor="clin-1")
    view = svc.decide(view.case_id, ReviewDecision(action="reject", reason="wrong client", actor="clin-1"))
    assert view.status == "rejected" and not view.signed
    with pytest.raises(InvalidInputError, match="not waiting"):
        svc.decide(view.case_id, ReviewDecision(action="approve", actor="clin-1"))


def test_waiting_case_survives_a_restart(tmp_path: Path) -> None:
    first = service(tmp_path)
    view = first.start_note(TRANSCRIPT, owner="clin-1", tenant="t1", cpt="90834", minutes=45)
    del first  # the process is gone; a new one opens the same files
    second = service(tmp_path)
    again = second.view(view.case_id)
    assert again.pending is not None and again.pending.text == view.pending.text  # type: ignore[union-attr]
    assert second.resume_pending() == []  # waiting for a person: nothing to run
    done = second.decide(view.case_id, ReviewDecision(action="approve", actor="clin-1"))
    assert done.status == "signed"


def test_biller_style_action_is_refused_at_a_note_gate(svc: CaseService) -> None:
    view = svc.start_note(TRANSCRIPT, owner="clin-1", tenant="t1")
    with pytest.raises(InvalidInputError, match="not allowed"):
        svc.decide(view.case_id, ReviewDecision(action="request_clinical_input", reason="need more", actor="b"))
