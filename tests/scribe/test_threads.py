"""Exchanges gathered into facts: follow-ups, collateral reports, exercises, homework lists, coordination."""

from __future__ import annotations

import pytest

from assistant.scribe.facts import extract_facts
from assistant.scribe.intake import parse_transcript
from assistant.scribe.threads import is_probe


def facts_of(text: str, kind: str, roles: dict[str, str] | None = None) -> list[tuple[str, list[int]]]:
    parsed = parse_transcript(text, "plain", roles or {})  # type: ignore[arg-type]
    return [(f.value, f.lines) for f in extract_facts(parsed) if f.kind == kind]


@pytest.mark.parametrize(
    ("turn", "expected"),
    [
        ("How many?", True),
        ("That's a real change. How long did the crying last?", True),
        ("And before, how many times?", True),
        ("Tell us about the landlord one.", True),
        ("Let's talk about your goals for treatment and what you want to be different by summer?", False),
        ("How's your sleep been, and have you been eating regularly?", False),
    ],
)
def test_when_turn_then_probe_or_not(turn: str, expected: bool) -> None:
    assert is_probe(turn) is expected


def test_when_followed_up_then_symptom_takes_in_the_answers() -> None:
    text = ("Therapist: What about limited-symptom attacks?\nClient: A couple of small ones, like a racing heart.\n"
            "Therapist: How many?\nClient: Two this week.")
    found = facts_of(text, "symptom")
    assert found and {2, 3, 4} <= set(found[0][1]) and "Two this week" in found[0][0]


def test_when_next_question_changes_topic_then_no_follow_up() -> None:
    text = ("Therapist: How have the nightmares been?\nClient: I still have nightmares most nights.\n"
            "Therapist: Let's talk about what you want to work on in therapy over the next months, okay?\nClient: Sure, work stuff.")
    found = facts_of(text, "symptom")
    assert found and 4 not in found[0][1]


def test_when_negated_then_no_symptom_to_follow_up() -> None:
    text = "Therapist: Any panic attacks?\nClient: I haven't had any panic attacks.\nTherapist: How many?\nClient: None."
    assert facts_of(text, "symptom") == []


def test_when_parent_reports_then_collateral_not_client_words() -> None:
    text = ("Therapist: Tell me about bedtime.\nMom: He argues for about 45 minutes most nights and kicked the door.\n"
            "Client: You turned off my game!")
    found = facts_of(text, "symptom", {"Therapist": "therapist", "Mom": "other", "Client": "client"})
    assert found and found[0][0].startswith("according to other participant") and 2 in found[0][1]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Therapist: Is that affecting work?\nClient: I take two buses instead of the subway, it adds an hour each way.", "functional_impact"),
        ("Therapist: I have your Insomnia Severity Index from today: 19.\nClient: Is that bad?", "score"),
        ("Therapist: I have your AUDIT from today. It came out at 18.\nClient: Okay.", "score"),
        ("Therapist: I'd like to send a short update to your prescriber about the missed doses. Is that okay?\nClient: Yes.", "plan"),
        ("Therapist: Two weeks from today, same time?\nClient: That works.", "next_appointment"),
        ("Therapist: Would you be willing to keep track of how much you drink this week?\nClient: I can do that.", "homework"),
    ],
)
def test_when_said_in_session_words_then_fact(text: str, kind: str) -> None:
    assert facts_of(text, kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Therapist: Is that affecting work?\nClient: No, work is fine.", "functional_impact"),
        ("Therapist: We'll do the Insomnia Severity Index at our next session.\nClient: Okay.", "score"),
        ("Therapist: How was the spin class?\nClient: Fun, I went at 6.", "score"),
        ("Therapist: Any plans this weekend?\nClient: I'll see my sister twice a week.", "plan"),
    ],
)
def test_when_not_said_then_no_fact_of_kind(text: str, kind: str) -> None:
    assert facts_of(text, kind) == []


def test_when_homework_given_over_turns_then_one_fact_with_all_lines() -> None:
    text = ("Therapist: For this week: eat lunch in the break room twice.\nClient: Okay.\n"
            "Therapist: And say hi to a neighbor. Write your prediction first.\nClient: Okay.")
    found = facts_of(text, "homework")
    assert len(found) == 1 and found[0][1] == [1, 3]


def test_when_exercise_runs_then_intervention_cites_its_turns() -> None:
    text = ("Therapist: Let's do an imaginal exposure now. Close your eyes.\nClient: Okay.\nTherapist: SUDS?\nClient: Seventy.\n"
            "Therapist: Again, slowly.\nClient: Sixty-five.")
    found = facts_of(text, "intervention")
    assert found and found[0][1] == [1, 2, 3, 4, 5, 6]


def test_when_socratic_question_then_the_examined_thought_is_cited() -> None:
    text = "Client: I'd feel like a burden.\nTherapist: What would you think if your friend called you?\nClient: I'd be glad he called."
    found = facts_of(text, "intervention", {"Client": "client", "Therapist": "therapist"})
    assert found and {1, 2, 3} <= set(found[0][1])


def test_when_risk_question_answered_with_denial_inside_then_quoted() -> None:
    text = ("Therapist: Any thoughts of hurting anyone else?\nClient: I get angry when I think about him. But no, I wouldn't hurt anyone.")
    found = facts_of(text, "risk")
    assert found and "wouldn't hurt anyone" in found[0][0] and found[0][1] == [1, 2]


def test_when_risk_never_asked_then_follow_ups_make_no_risk() -> None:
    text = "Therapist: How many drinks?\nClient: About six.\nTherapist: How often?\nClient: Every weekend."
    assert facts_of(text, "risk") == []


def test_when_means_restriction_asked_then_intervention_in_its_own_words() -> None:
    text = "Therapist: I'd like to make the rifle harder to get to. Who could hold onto it for a few weeks?\nClient: My brother."
    found = facts_of(text, "intervention")
    assert found and "harder to get to" in found[0][0] and found[0][1][0] == 1


def test_when_acronym_in_lower_case_then_no_technique() -> None:
    text = "Therapist: Do you think you would act on these thoughts, or is it more of a feeling?\nClient: More of a feeling."
    assert all(value != "act" for value, _ in facts_of(text, "intervention"))
