"""Fact extraction: each kind on positives and negatives; risk only when talked about."""

from __future__ import annotations

import pytest

from assistant.scribe.facts import extract_facts
from assistant.scribe.intake import parse_transcript


def facts_of(text: str, kind: str) -> list[tuple[str, list[int]]]:
    return [(f.value, f.lines) for f in extract_facts(parse_transcript(text)) if f.kind == kind]


@pytest.mark.parametrize(
    ("transcript", "kind", "expected_lines"),
    [
        ("Therapist: How was it?\nClient: I had 3 panic attacks this week.", "symptom", [2]),
        ("Therapist: Your PHQ-9 today is 14.\nClient: Okay.", "score", [1]),
        ("Therapist: And work?\nClient: I missed two shifts because I couldn't get out of bed.", "functional_impact", [2]),
        ("Therapist: How are you?\nClient: I've been feeling really down.", "mood", [2]),
        # an intervention cites the exercise it starts: the technique's line and the turns that follow
        ("Therapist: Let's try some cognitive restructuring on that thought.\nClient: Okay.", "intervention", [1, 2]),
        ("Therapist: It sounds like you feel stuck.\nClient: Yes.", "intervention", [1, 2]),
        ("Therapist: Here's a thought record.\nClient: That makes sense, I can try that.", "response", [1, 2]),
        ("Therapist: Any change?\nClient: Panic is down from four to two a week.", "progress", [1, 2]),
        ("Therapist: How is the sertraline?\nClient: I missed a few doses because of nausea.", "medication", [1, 2]),
        ("Therapist: For homework, keep a sleep diary every day.\nClient: Sure.", "homework", [1]),
        ("Therapist: I'll see you next week, same time.\nClient: Thanks.", "next_appointment", [1]),
    ],
)
def test_when_said_then_fact_with_its_lines(transcript: str, kind: str, expected_lines: list[int]) -> None:
    found = facts_of(transcript, kind)
    assert found, kind
    assert found[0][1] == expected_lines


@pytest.mark.parametrize(
    ("transcript", "kind"),
    [
        ("Therapist: How was it?\nClient: I haven't had any panic attacks.", "symptom"),
        ("Therapist: We'll do the PHQ-9 next time.\nClient: Okay.", "score"),
        ("Therapist: How is work?\nClient: Work has been fine, no problems.", "functional_impact"),
        ("Therapist: Did you take anything?\nClient: I have 3 kids, so no time.", "medication"),
        ("Therapist: What did you do this week?\nClient: I went hiking with friends.", "risk"),
    ],
)
def test_when_not_said_then_no_fact(transcript: str, kind: str) -> None:
    assert facts_of(transcript, kind) == []


def test_risk_asked_and_denied_cites_question_and_answer() -> None:
    found = facts_of("Therapist: Any thoughts of killing yourself?\nClient: No, never.", "risk")
    assert found == [("asked about suicidal or self-harm thoughts; client denied", [1, 2])]


def test_risk_asked_and_endorsed_quotes_the_answer() -> None:
    found = facts_of("Therapist: Any thoughts of hurting yourself?\nClient: Sometimes I wish I wouldn't wake up.", "risk")
    assert found and "wish" in found[0][0] and found[0][1] == [1, 2]
    assert "denied" not in found[0][0]


def test_risk_not_asked_is_never_written_as_a_denial() -> None:
    transcript = "Therapist: How was your week?\nClient: Busy but okay.\nTherapist: See you next week."
    assert facts_of(transcript, "risk") == []


def test_client_raising_risk_is_recorded() -> None:
    found = facts_of("Therapist: How was your week?\nClient: Honestly I've had thoughts of suicide again.", "risk")
    assert found and found[0][1] == [2] and "client raised" in found[0][0]


def test_client_words_are_in_the_third_person() -> None:
    value = facts_of("Therapist: How was it?\nClient: I had 3 panic attacks at my job.", "symptom")[0][0]
    assert value.startswith("they had 3 panic attacks at their job")
