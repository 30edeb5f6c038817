"""Note sentences: one per statement, short answers with their questions, nothing said twice."""

from __future__ import annotations

import pytest

from assistant.scribe.facts import extract_facts
from assistant.scribe.gather import Fact
from assistant.scribe.intake import parse_transcript
from assistant.scribe.lexicon import therapist_voice
from assistant.scribe.phrasing import Phraser, leans_on_question
from assistant.scribe.render import load_template, render_sections, render_text

SESSION = """Therapist: Good. Let's start with the check-in. How many panic attacks did you have this past week?
Client: Two. One on Tuesday at the grocery store and one on Saturday night.
Therapist: What did you notice in your body during the grocery store one?
Client: Heart pounding and tingling in my hands.
Therapist: Are you still avoiding the break room at work?
Client: Mostly, yeah. I eat in my car because the break room feels small and hot.
Therapist: Today I want to do some interoceptive exposure. We'll breathe through a thin straw for sixty seconds.
Client: Okay.
Therapist: And stop. Rate your anxiety right now, zero to ten.
Client: Like a six.
Therapist: For practice this week, do the straw breathing once a day and take the log sheet with you.
Client: I can do that.
Therapist: Same time next Wednesday?
Client: Wednesday works.
"""


def draft_of(text: str) -> tuple[list, str]:
    transcript = parse_transcript(text)
    facts = extract_facts(transcript)
    sections = render_sections(facts, "SOAP", load_template(), None, None, transcript.utterances)
    return sections, render_text(sections, "SOAP", load_template())


@pytest.mark.parametrize(("part", "expected"), [
    ("Two.", True), ("Mostly, yeah.", True), ("I did.", True), ("Like a six.", True),
    ("they're nervous.", False), ("their chest feels tight.", False),
    ("they only left early once this week, on Thursday.", False),
])
def test_when_statement_then_leans_on_question_or_not(part: str, expected: bool) -> None:
    assert leans_on_question(part) is expected


def test_when_short_answer_then_written_with_its_question_and_both_lines() -> None:
    sections, text = draft_of(SESSION)
    assert 'Asked "How many panic attacks did you have this past week?", the client said: "Two. One on Tuesday' in text
    sentence = next(s for sec in sections for s in sec.sentences if s.text.startswith('Asked "How many panic'))
    assert sentence.support == [1, 2]
    assert "reported that Two" not in text and "; " not in text


def test_when_answer_to_a_rating_request_then_the_request_is_quoted() -> None:
    _, text = draft_of(SESSION)
    assert 'Asked "Rate your anxiety right now, zero to ten.", the client said: "Like a six."' in text


def test_when_statement_traced_then_it_cites_its_own_line() -> None:
    sections, _ = draft_of(SESSION)
    sentence = next(s for sec in sections for s in sec.sentences if "Heart pounding" in s.text)
    assert sentence.support == [4]


def test_when_answer_quoted_whole_then_its_statements_are_not_repeated() -> None:
    _, text = draft_of(SESSION)
    assert text.count("break room feels small") == 1
    assert text.count("Heart pounding") == 1


def test_when_interventions_then_names_listed_and_spoken_steps_quoted() -> None:
    facts = [Fact(kind="intervention", value="interoceptive exposure; We'll breathe through a thin straw for sixty seconds", lines=[7])]
    transcript = parse_transcript(SESSION)
    sections = render_sections(facts, "SOAP", load_template(), None, None, transcript.utterances)
    texts = [s.text for sec in sections for s in sec.sentences]
    assert "Interventions used: interoceptive exposure." in texts
    assert 'In session, the therapist said: "We\'ll breathe through a thin straw for sixty seconds."' in texts


def test_when_untraceable_statement_then_it_cites_all_the_fact_lines() -> None:
    fact = Fact(kind="symptom", value="words said nowhere", lines=[2, 4])
    assert Phraser(parse_transcript(SESSION).utterances).statements(fact)[0].lines == [2, 4]


@pytest.mark.parametrize(("said", "written"), [
    ("take the log sheet with you", "take the log sheet with them"),
    ("let me tell you about panic", "let me tell them about panic"),
    ("you were logging four a week", "they were logging four a week"),
    ("see you next week", "see them next week"),
])
def test_when_you_is_an_object_then_them(said: str, written: str) -> None:
    assert therapist_voice(said) == written
