"""tag_utterance: MI therapist behaviours (question / reflection / input / other) from general cues."""

from __future__ import annotations

import pytest

from assistant.scribe.behaviours import tag_utterance


@pytest.mark.parametrize(
    "text",
    [
        "What brings you in today?",
        "How has your week been?",
        "Tell me a little bit about your family.",
        "I'm wondering what else might be on that list.",
        "Mm-hmm. And how many drinks would you say you have on a weekend night?",
        "So you feel like it's out of control. What would you like to do about it?",
        "Do you see any connection between the drinking and your sleep",
    ],
)
def test_when_utterance_asks_then_question(text: str) -> None:
    assert tag_utterance(text) == "question"


@pytest.mark.parametrize(
    "text",
    [
        "It sounds like you're really worried about your son.",
        "So you're feeling pretty stuck right now.",
        "You feel like nobody at work understands how hard this is.",
        "You're not ready to give it up yet.",
        "Part of you wants to quit, and part of you enjoys the break it gives you.",
        "Okay. So, a lot of stress at home and not much time for yourself.",
        "Almost overwhelming, it sounds like.",
    ],
)
def test_when_utterance_restates_without_asking_then_reflection(text: str) -> None:
    assert tag_utterance(text) == "reflection"


@pytest.mark.parametrize(
    "text",
    [
        "Research shows that cutting down even a little lowers the risk of liver damage.",
        "Some people find it helps to keep a drink diary for a week.",
        "I'd suggest trying the patch for the first few weeks.",
        "I recommend no more than two drinks a day.",
        "What I can tell you is that the withdrawal usually peaks after three days.",
        "You might want to talk to your doctor about switching the dose.",
        "One option would be to start with the weekends. We can look at the rest next time.",
        "Here's a handout with the safe limits on it. How does that sound?",
    ],
)
def test_when_utterance_informs_or_advises_then_input(text: str) -> None:
    assert tag_utterance(text) == "input"


@pytest.mark.parametrize(
    "text",
    ["Mm-hmm.", "Yeah.", "Okay.", "Right, right.", "Hi, thanks for coming in today.", "That's great.",
     "Well, it was nice talking to you.", "", "   "],
)
def test_when_utterance_is_backchannel_greeting_or_praise_then_other(text: str) -> None:
    assert tag_utterance(text) == "other"


def test_when_text_has_fillers_and_line_breaks_then_same_tag_as_clean_text() -> None:
    assert tag_utterance("Um,\n  so,   you're feeling   stuck.") == tag_utterance("You're feeling stuck.")


def test_when_called_twice_then_deterministic() -> None:
    text = "So you've cut back to weekends. Some people find that's the hardest part."
    assert tag_utterance(text) == tag_utterance(text)
