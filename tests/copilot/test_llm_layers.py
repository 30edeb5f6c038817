"""With a model configured: the judge settles borderline items, the phraser stays grounded."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from assistant.copilot.checker import NoteChecker
from assistant.copilot.judge import LLMJudge, LLMPhraser
from assistant.copilot.models import CheckRequest
from assistant.copilot.rulepacks import get_registry
from assistant.gateway import LLMGateway
from assistant.settings import Settings
from guardrails.deid import get_deidentifier
from tests.llm_fakes import ScriptedLLM

NOTE = (
    "S: Maria Gonzalez reports panic attacks 4 times this week and missed two shifts at work.\n"
    "A: F41.0 Panic disorder. Client tolerated session well.\n"
    "Denies SI/HI. Goal: fewer than 1 panic attack per week by [DATE_2].\n"
    "Used interoceptive exposure. Continued weekly CBT is needed because panic still limits work.\n"
    "P: Next session in one week. Individual session, 10:00-10:45 (45 minutes).\n"
    "Signed: [PROVIDER_1], LCSW, [DATE_1]\n"
)
TRANSCRIPT = "Therapist: How did the exposure go?\nClient: My fear went from 8 to 4 by the end and I stayed with it.\n"


def _answer(kwargs: dict[str, Any]) -> str:
    user = kwargs["messages"][-1]["content"]
    if "Checklist element" in user:  # judge: the response element is only "tolerated session well"
        return json.dumps({"status": "partial", "quote": "Client tolerated session well."})
    if "went from 8 to 4" in user:
        return json.dumps({"sentence": "Client reports fear went from 8 to 4 by the end and stayed with it."})
    return json.dumps({"sentence": "Client reports fear fell from 8 to 2 and sleep improved."})


def _checker(settings: Settings, fake: ScriptedLLM) -> NoteChecker:
    llm = Settings.model_validate(settings.model_dump() | {"llm_model": "hosted_vllm/test-model"})
    gateway = LLMGateway(llm, completion=fake)
    return NoteChecker(get_registry(), get_deidentifier(), judge=LLMJudge(gateway), phraser=LLMPhraser(gateway))


def test_judge_sees_only_deidentified_text_and_its_verdict_is_used(settings: Settings) -> None:
    fake = ScriptedLLM([_answer])
    checker = _checker(settings, fake)
    result = asyncio.run(checker.check(CheckRequest(note=NOTE, cpt="90834", minutes=45, transcript=TRANSCRIPT)))
    assert result.engine == "llm"
    response = next(i for i in result.items if i.element == "response_progress")
    assert response.status == "partial"
    assert response.evidence[0].quote == "Client tolerated session well."
    assert fake.calls, "the borderline item went to the model"
    assert all("Gonzalez" not in m["content"] for call in fake.calls for m in call["messages"])
    assert checker.judge is not None and checker.judge.records[0].prompt == "copilot_judge"


def test_phrased_suggestion_is_kept_only_when_grounded(settings: Settings) -> None:
    fake = ScriptedLLM([_answer])
    checker = _checker(settings, fake)
    result = asyncio.run(checker.check(CheckRequest(note=NOTE, cpt="90834", minutes=45, transcript=TRANSCRIPT)))
    response = next(i for i in result.items if i.element == "response_progress")
    assert response.suggestion is not None
    assert response.suggestion.startswith("Client reports fear went from 8 to 4")
    assert 2 in response.suggestion_sources


def test_phrased_suggestion_with_an_invented_fact_is_rejected(settings: Settings) -> None:
    fake = ScriptedLLM([lambda kw: json.dumps({"status": "partial", "quote": "Client tolerated session well."})
                        if "Checklist element" in kw["messages"][-1]["content"]
                        else json.dumps({"sentence": "Client reports fear fell from 8 to 2 and sleep improved."})])
    checker = _checker(settings, fake)
    result = asyncio.run(checker.check(CheckRequest(note=NOTE, cpt="90834", minutes=45, transcript=TRANSCRIPT)))
    response = next(i for i in result.items if i.element == "response_progress")
    assert response.suggestion is not None and "8 to 2" not in response.suggestion
    assert "went from 8 to 4" in response.suggestion  # the quoted, grounded form
    assert checker.phraser is not None and checker.phraser.rejected == 1


def test_judge_quote_not_in_note_is_ignored(settings: Settings) -> None:
    fake = ScriptedLLM([json.dumps({"status": "met", "quote": "Client made excellent progress on all goals."})])
    checker = _checker(settings, fake)
    result = asyncio.run(checker.check(CheckRequest(note=NOTE, cpt="90834", minutes=45)))
    response = next(i for i in result.items if i.element == "response_progress")
    assert response.status == "partial"
