"""Appeal drafting end to end: contract, verifier gate, LLM engine, no identifiers to the model."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from assistant.api.app import create_app
from assistant.appeals.evidence import document
from assistant.appeals.service import draft_appeal
from assistant.gateway import LLMGateway
from assistant.runtime import Runtime
from assistant.settings import Settings
from retrieval.policy_store import PolicyStore
from tests.llm_fakes import ScriptedLLM

CORPUS = Path(__file__).resolve().parents[2] / "retrieval" / "corpus"
DENIAL = b"""Lakeshore Health - Notice of Adverse Benefit Determination
Date: April 2, 2025
RE: Claim number CLM-778812   Member ID: LKH4455667
Patient: Dana Whitfield   Date of service: 03/04/2025
Procedure 90837 billed $280.00, paid $0.00.
Your claim was denied because the records do not support the medical necessity of a 60-minute session. Reason code CO-50.
"""
NOTE = """PROGRESS NOTE - Date of service: 03/04/2025
Client: Dana Whitfield   Session 10:00-10:58 (58 minutes), individual, in office.
S: Client reports panic attacks 4 times this week and missed two shifts at work because of panic. PHQ-9 = 16 today.
A: F41.0 Panic disorder. Used interoceptive exposure; client rated fear 8/10 falling to 4/10.
Goal: reduce panic attacks to fewer than 1 per week by June.
P: Next session in one week.
Signed: Alex Reyes, LCSW, 03/04/2025
"""
UNMET = {"risk_assessment", "continued_care_rationale", "extended_session_justification"}


@pytest.fixture
def store(corpus_store: PolicyStore) -> PolicyStore:
    return corpus_store


def runtime_with(settings: Settings, store: PolicyStore) -> Runtime:
    runtime = Runtime(settings)
    runtime.__dict__["policy_store"] = store
    return runtime


def test_offline_draft_answers_met_criteria_warns_on_unmet_and_writes_files(settings: Settings, store: PolicyStore, tmp_path: Path) -> None:
    runtime = runtime_with(settings, store)
    draft = asyncio.run(draft_appeal(runtime, DENIAL, "denial.txt", [document("note-0304.txt", NOTE)], out=tmp_path,
                                     today=dt.date(2025, 4, 10)))
    assert draft.root_cause == "medical_necessity" and draft.ready and draft.verification == []
    by_element = {c.element: c for c in draft.criteria}
    assert by_element["symptoms_severity"].met and by_element["symptoms_severity"].evidence[0].date == dt.date(2025, 3, 4)
    assert {e for e, c in by_element.items() if not c.met} == UNMET
    assert len(draft.warnings) == len(UNMET) and all("late entry" in w for w in draft.warnings)
    assert "PHQ-9 = 16 today." in draft.letter_markdown and "BH-OP-12 §" in draft.letter_markdown
    assert all(c.policy_id and c.section for c in draft.citations)
    pdf_text = "".join(p.extract_text() for p in PdfReader(draft.files["pdf"]).pages)
    assert "CLM-778812" in pdf_text
    evidence = json.loads(Path(draft.files["evidence"]).read_text())
    assert len(evidence["criteria"]) == len(draft.criteria)


def test_not_appealable_denial_gets_no_letter(settings: Settings, store: PolicyStore) -> None:
    runtime = runtime_with(settings, store)
    duplicate = DENIAL.replace(b"CO-50", b"CO-18").replace(b"records do not support the medical necessity of", b"duplicate of")
    draft = asyncio.run(draft_appeal(runtime, duplicate, "denial.txt", [document("n.txt", NOTE)]))
    assert draft.letter_markdown == "" and not draft.ready and "write_off" in draft.warnings[0]


def _model(good: bool) -> Any:
    def answer(kwargs: dict[str, Any]) -> str:
        user = kwargs["messages"][-1]["content"]
        quote = "PHQ-9 = 16 today." if good else "PHQ-9 = 19 today."
        policy = next(line for line in user.splitlines() if "Plan policy:" in line).split("Plan policy:")[1].strip()
        policy_text = next(line for line in user.splitlines() if "Policy text:" in line).split("Policy text:")[1].strip()
        letter = (
            "To the appeals reviewer,\n\nI am appealing claim [CLAIM_ID] for [PATIENT_ID].\n\n"
            f"**Plan policy:** {policy}\n\n> {policy_text}\n\n"
            f"The record shows “{quote}” (note-0304.txt, dated 2025-03-04).\n\nPlease reprocess and pay the claim.\n"
        )
        return json.dumps({"letter_markdown": letter})

    return answer


@pytest.mark.parametrize("good", [True, False])
def test_llm_letter_is_used_only_when_every_citation_verifies(settings: Settings, store: PolicyStore, good: bool) -> None:
    llm = Settings.model_validate(settings.model_dump() | {"llm_model": "hosted_vllm/test-model"})
    runtime = runtime_with(llm, store)
    fake = ScriptedLLM([_model(good)])
    runtime.__dict__["gateway"] = LLMGateway(llm, completion=fake)
    draft = asyncio.run(draft_appeal(runtime, DENIAL, "denial.txt", [document("note-0304.txt", NOTE)]))
    sent = json.dumps([m["content"] for c in fake.calls for m in c["messages"]])
    for identifier in ("Dana", "Whitfield", "CLM-778812", "LKH4455667", "Alex Reyes"):
        assert identifier not in sent
    if good:
        assert draft.engine == "llm" and draft.ready and "CLM-778812" in draft.letter_markdown
        assert draft.calls and draft.calls[0]["prompt"] == "appeal_letter"
    else:
        assert draft.engine == "offline" and draft.ready
        assert any("failed the citation check" in w for w in draft.warnings)
        assert "PHQ-9 = 19" not in draft.letter_markdown


def test_appeal_endpoints(settings: Settings, store: PolicyStore) -> None:
    with TestClient(create_app(settings)) as client:
        client.app.state.runtime.__dict__["policy_store"] = store  # type: ignore[attr-defined]
        classified = client.post("/v1/appeals/classify", files={"file": ("denial.txt", DENIAL, "text/plain")})
        assert classified.status_code == 200, classified.text
        body = classified.json()
        assert set(body) >= {"denial", "root_cause", "appealable", "action", "routes", "deadline", "level"}
        assert body["routes"] == ["senior_billing", "clinical_liaison"] and body["deadline"] == "2025-07-31"
        drafted = client.post("/v1/appeals/draft", files=[("file", ("denial.txt", DENIAL, "text/plain")),
                                                          ("notes", ("note-0304.txt", NOTE.encode(), "text/plain"))])
        assert drafted.status_code == 200, drafted.text
        data = drafted.json()
        assert set(data) >= {"denial", "root_cause", "criteria", "letter_markdown", "citations", "warnings", "engine"}
        assert set(data["criteria"][0]) >= {"criterion", "policy", "evidence", "met"}
        bad = client.post("/v1/appeals/classify", files={"file": ("x.835", b"ISA*00*broken", "text/plain")})
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "file"
        empty = client.post("/v1/appeals/classify", files={"file": ("x.txt", b"  ", "text/plain")})
        assert empty.status_code == 422
