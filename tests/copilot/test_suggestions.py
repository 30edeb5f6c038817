"""Suggestions: transcript facts only, with their lines; blanks otherwise; never an invented fact."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.copilot.rulepacks import get_registry
from assistant.copilot.suggestions import (
    FACT_VOCABULARY,
    own_words,
    parse_transcript,
    strip_provenance,
    suggest,
)
from guardrails.grounding import ungrounded

RULES = get_registry().resolve(None).elements
TRANSCRIPT = """Therapist: How has work been going?
Client: I missed three shifts at the warehouse because the panic got so bad.
Therapist: Any thoughts of suicide or of hurting yourself?
Client: No, none at all.
Therapist: Let's plan to meet again next week."""


def test_when_transcript_has_the_fact_then_suggestion_quotes_it_with_its_line() -> None:
    made = suggest("functional_impairment", RULES["functional_impairment"], {}, parse_transcript(TRANSCRIPT))
    assert "missed three shifts at the warehouse" in made.text
    assert made.lines == [2]
    assert "confirm" in made.text


def test_when_answer_follows_question_then_risk_suggestion_quotes_both_lines() -> None:
    made = suggest("risk_assessment", RULES["risk_assessment"], {}, parse_transcript(TRANSCRIPT))
    assert "No, none at all." in made.text
    assert made.lines == [3, 4]


def test_when_no_transcript_then_fill_in_the_blank_template() -> None:
    made = suggest("functional_impairment", RULES["functional_impairment"], {}, None)
    assert "___" in made.text
    assert made.lines == []


def test_when_transcript_lacks_the_fact_then_template_not_invention() -> None:
    made = suggest("symptoms_severity", RULES["symptoms_severity"], {}, parse_transcript("Therapist: Hello.\nClient: Hi."))
    assert "___" in made.text


def test_templates_state_no_clinical_fact() -> None:
    for element, rule in RULES.items():
        assert not re.search(r"\d", rule.suggestion.replace("ICD-10-CM", "")), element
        assert not ungrounded(rule.suggestion, [], FACT_VOCABULARY, allowed=[rule.suggestion]), element


WORDS = st.sampled_from(
    ["panic", "work", "school", "worry", "sleep", "I", "missed", "3", "days", "felt", "anxious", "my", "job",
     "argued", "with", "Dana", "twice", "PHQ-9", "14", "no", "thoughts", "of", "suicide", "the", "kids"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(WORDS, min_size=3, max_size=12), min_size=1, max_size=6), st.sampled_from(sorted(RULES)))
def test_suggestion_never_contains_a_fact_absent_from_transcript(lines: list[list[str]], element: str) -> None:
    transcript = "\n".join(f"{'Client' if i % 2 else 'Therapist'}: {' '.join(words)}." for i, words in enumerate(lines))
    made = suggest(element, RULES[element], {}, parse_transcript(transcript))
    assert not ungrounded(strip_provenance(made.text), [transcript], FACT_VOCABULARY, allowed=own_words(element, RULES[element]))


@pytest.mark.parametrize(
    ("sentence", "absent"),
    [
        ("Client reports panic attacks 4 times a week.", ["4"]),
        ("Client said Dana helps with homework.", ["Dana"]),
        ("Client reports nightmares.", ["nightmares"]),
    ],
)
def test_grounding_flags_facts_missing_from_sources(sentence: str, absent: list[str]) -> None:
    assert ungrounded(sentence, ["Client reports panic attacks twice."], FACT_VOCABULARY, allowed=["Client reports"]) == absent
