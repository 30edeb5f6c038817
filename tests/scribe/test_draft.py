"""Drafting: formats, support lines, placeholders, the verifier, the LLM engine, the contract."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.gateway import LLMGateway
from assistant.scribe.draft import Scribe
from assistant.scribe.models import DraftRequest
from assistant.scribe.render import Section, Sentence, load_template
from assistant.settings import Settings
from guardrails.deid import get_deidentifier
from guardrails.line_cache import LineCachedDeidentifier
from guardrails.verify import verify_sentence
from tests.llm_fakes import ScriptedLLM

TRANSCRIPT = """Dr. Reyes: How was your week, Dana?
Dana: Rough. I had 3 panic attacks and I missed two days of work at Walmart.
Dr. Reyes: Your PHQ-9 today is 14, down from 17.
Dr. Reyes: Let's try some cognitive restructuring around that thought.
Dana: That makes sense, I can try to catch it.
Dana: The sertraline made me nauseous so I skipped doses.
Dr. Reyes: For homework, fill out the thought record every day. I'll see you next week, same time."""


def scribe(gateway: LLMGateway | None = None) -> Scribe:
    return Scribe(LineCachedDeidentifier(get_deidentifier()), load_template(), gateway=gateway)


@pytest.mark.parametrize(
    ("fmt", "names"),
    [
        ("SOAP", ["Subjective", "Objective", "Assessment", "Plan"]),
        ("DAP", ["Data", "Assessment", "Plan"]),
        ("BIRP", ["Behavior", "Intervention", "Response", "Plan"]),
        ("GIRP", ["Goal", "Intervention", "Response", "Plan"]),
    ],
)
def test_each_format_has_its_sections_and_every_sentence_cites_lines(fmt: str, names: list[str]) -> None:
    result = asyncio.run(scribe().draft(DraftRequest(transcript=TRANSCRIPT, format=fmt)))  # type: ignore[arg-type]
    assert [s.name for s in result.sections] == names
    sentences = [s for sec in result.sections for s in sec.sentences]
    assert sentences and all(s.support and set(s.support) <= set(range(1, 8)) for s in sentences)
    assert result.unsupported == []
    assert all(n + ":" in result.text for n in names)


def test_draft_is_pseudonymized_and_keeps_placeholders() -> None:
    result = asyncio.run(scribe().draft(DraftRequest(transcript=TRANSCRIPT)))
    dumped = result.model_dump_json()
    assert "Dana" not in dumped and "Reyes" not in dumped and "Walmart" not in dumped
    assert "[ORG" in result.text or "[ORGANIZATION" in result.text
    assert "PHQ-9" in result.text and "14" in result.text
    assert "denies" not in result.text.lower()  # risk was never asked


def test_verifier_rejects_invented_content() -> None:
    cited = "They had 3 panic attacks this week."
    assert verify_sentence("Client reported 3 panic attacks this week.", cited).supported
    assert not verify_sentence("Client reported 5 panic attacks this week.", cited).supported
    assert not verify_sentence("Client denies suicidal ideation and reports nightmares.", cited).supported


def _fake_llm(kwargs: dict[str, Any]) -> str:
    user = kwargs["messages"][-1]["content"]
    if "Fact kinds" in user:
        return json.dumps({"facts": [
            {"kind": "symptom", "value": "they had 3 panic attacks", "lines": [2]},
            {"kind": "score", "value": "PHQ-9 14", "lines": [3]},
            {"kind": "medication", "value": "sertraline increased to 100 mg", "lines": [6]},  # invented dose
        ]})
    return json.dumps({"sections": [
        {"name": "Subjective", "sentences": [
            {"text": "Client reported 3 panic attacks this week.", "support": [2]},
            {"text": "Client denies suicidal ideation.", "support": [2]},  # never asked: must be removed
        ]},
        {"name": "Objective", "sentences": [{"text": "PHQ-9 was 14 today.", "support": [3]}]},
        {"name": "Assessment", "sentences": [{"text": "Mental status exam was normal.", "support": [99]}]},
        {"name": "Plan", "sentences": [{"text": "Homework is a daily thought record.", "support": [7]}]},
    ]})


def test_llm_engine_sentences_are_verified_and_invented_ones_removed(settings: Settings) -> None:
    llm = Settings.model_validate(settings.model_dump() | {"llm_model": "hosted_vllm/test-model"})
    fake = ScriptedLLM([_fake_llm])
    result = asyncio.run(scribe(LLMGateway(llm, completion=fake)).draft(DraftRequest(transcript=TRANSCRIPT)))
    assert result.engine == "llm"
    kept = [s.text for sec in result.sections for s in sec.sentences]
    assert "Client reported 3 panic attacks this week." in kept
    assert "Homework is a daily thought record." in kept
    removed = {u.text: u.reason for u in result.unsupported}
    assert "Client denies suicidal ideation." in removed
    assert "Mental status exam was normal." in removed
    assert [f.kind for f in result.facts] == ["symptom", "score"]  # the invented dose never became a fact
    assert [c["prompt"] for c in result.calls] == ["scribe_extract", "scribe_write"]
    assert all("Dana" not in m["content"] and "Walmart" not in m["content"] for c in fake.calls for m in c["messages"])


def test_draft_over_http_and_cli(settings: Settings, tmp_path: Path) -> None:
    with TestClient(create_app(settings)) as client:
        ok = client.post("/v1/notes/draft", json={"transcript": TRANSCRIPT, "format": "DAP", "cpt": "90834", "minutes": 45})
        assert ok.status_code == 200, ok.text
        data = ok.json()
        assert set(data) >= {"format", "sections", "text", "facts", "unsupported", "check", "engine", "calls"}
        assert data["check"]["cpt"] == "90834" and data["format"] == "DAP"
        bad = client.post("/v1/notes/draft", json={"transcript": "no speakers here\nat all"})
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "transcript"
        assert client.post("/v1/notes/draft", json={"transcript": "   "}).status_code == 422
    path = tmp_path / "t.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    env = {**os.environ, "PARITY_DATA_DIR": str(tmp_path / "var")}
    run = subprocess.run([sys.executable, "-m", "assistant.cli", "draft", str(path), "--format", "girp", "--json"],
                         capture_output=True, text=True, env=env, timeout=180)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["format"] == "GIRP"
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x00\x01\x02")
    bad = subprocess.run([sys.executable, "-m", "assistant.cli", "draft", str(binary), "--json"],
                         capture_output=True, text=True, env=env, timeout=180)
    assert bad.returncode == 2 and "binary" in bad.stderr


def test_verify_drops_sentences_citing_missing_lines() -> None:
    s = scribe()
    parsed = asyncio.run(s.draft(DraftRequest(transcript=TRANSCRIPT)))
    assert parsed.lines == 7
    from assistant.scribe.intake import parse_transcript

    kept, removed = s.verify([Section(name="A", sentences=[Sentence(text="Thing.", support=[42])])], parse_transcript(TRANSCRIPT))
    assert kept[0].sentences == [] and removed[0].reason == "cites no existing transcript line"
