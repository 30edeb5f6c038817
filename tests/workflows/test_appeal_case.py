"""Appeal case graph: biller's gate, clinical-input task and wait, approve renders once, reject."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.runtime import Runtime
from assistant.settings import Settings
from assistant.workflows.service import CaseService
from assistant.workflows.state import ReviewDecision
from retrieval.policy_store import PolicyStore
from tests.appeals.test_draft import DENIAL, NOTE

CORPUS = Path(__file__).resolve().parents[2] / "retrieval" / "corpus"


@pytest.fixture
def store(corpus_store: PolicyStore) -> PolicyStore:
    return corpus_store


def service(data_dir: Path, store: PolicyStore) -> CaseService:
    runtime = Runtime(Settings(data_dir=data_dir, env="test"))
    runtime.__dict__["policy_store"] = store
    return CaseService(runtime)


def test_appeal_waits_for_the_biller_then_clinical_input_then_submits_once(tmp_path: Path, store: PolicyStore) -> None:
    svc = service(tmp_path, store)
    view = svc.start_appeal(DENIAL, "denial.txt", [{"name": "note-0304.txt", "text": NOTE}], owner="biller-1", tenant="t1")
    assert view.kind == "appeal" and view.pending is not None and view.pending.role == "biller"
    assert "request_clinical_input" in view.pending.allowed
    assert view.checklist is not None and view.checklist["verification"] == []
    assert "PHQ-9 = 16 today." in view.pending.text
    unmet = [c["element"] for c in view.checklist["criteria"] if not c["met"]]
    assert "risk_assessment" in unmet
    blob = b"".join(r[0] for r in sqlite3.connect(tmp_path / "checkpoints.sqlite").execute("SELECT checkpoint FROM checkpoints"))
    assert b"Dana" not in blob and b"CLM-778812" not in blob  # encrypted at rest

    view = svc.decide(view.case_id, ReviewDecision(action="request_clinical_input", reason="risk screen for 03/04?", actor="biller-1"))
    assert view.status == "awaiting_review" and view.pending is not None and view.pending.role == "clinician"
    assert [t["role"] for t in svc.records.list_tasks()] == ["clinical_liaison"]
    addendum = "Late entry 04/12/2025 for DOS 03/04/2025: Client denies SI/HI; safety plan reviewed."
    view = svc.decide(view.case_id, ReviewDecision(action="edit", text=addendum, actor="clin-1"))
    assert svc.records.list_tasks() == []
    assert view.pending is not None and view.pending.role == "biller"
    risk = next(c for c in view.checklist["criteria"] if c["element"] == "risk_assessment")  # type: ignore[index]
    assert risk["met"] and risk["evidence"][0]["source"].startswith("clinical-input-")

    view = svc.decide(view.case_id, ReviewDecision(action="approve", actor="biller-1"))
    assert view.status == "submitted" and view.signed
    submission = svc.records.submission(view.case_id)
    assert submission is not None and submission["deadline"] == "2025-07-31"
    assert Path(tmp_path / "appeals" / view.case_id / "appeal.pdf").read_bytes().startswith(b"%PDF")
    svc.records.finalize_appeal(view.case_id, "other", "x", None)  # a retry records nothing new
    assert svc.records.submission(view.case_id) == submission


def test_rejected_appeal_ends(tmp_path: Path, store: PolicyStore) -> None:
    svc = service(tmp_path, store)
    view = svc.start_appeal(DENIAL, "denial.txt", [{"name": "n.txt", "text": NOTE}], owner="b", tenant="t1")
    view = svc.decide(view.case_id, ReviewDecision(action="reject", reason="write off instead", actor="b"))
    assert view.status == "rejected" and svc.records.submission(view.case_id) is None
