"""What happens after the session: homework set over several turns, care coordination, the next contact.

Homework is often given as a list spread over turns ("For this week: …" then "And …"), or
agreed by endorsing what the client proposed ("Look at three listings by Saturday." —
"Great. Also …"). Coordination the therapist takes on (an update to the prescriber, a call
to the school counselor) and a disposition are plan; a question proposing one cites the answer.
"""

from __future__ import annotations

import re

from assistant.scribe.gather import Fact
from assistant.scribe.intake import Transcript, Utterance
from assistant.scribe.lexicon import HOMEWORK, clause_with, therapist_voice, third_person
from assistant.scribe.terms import ASSIGNMENT, COORDINATION

ADDS_ON = re.compile(r"^\W*(?:and|also|plus)\b", re.IGNORECASE)
ENDORSES = re.compile(r"^\W*(?:good|great|perfect|okay|ok|yes|right|sounds\s+good|that\s+works|nice)\b", re.IGNORECASE)
MANDATE = re.compile(r"\b(?:court|judge|probation|mandated|ordered)\b", re.IGNORECASE)
NEXT_CONTACT = re.compile(
    r"\b(?:(?:one|two|three|four|\d+)\s+weeks?\s+from\s+(?:today|now)|(?:call|see|text)\s+you\s+(?:tomorrow|on|next|in|at|this)|"
    r"(?:I'm|I\s+am)\s+holding\s+\w+|(?:check\s+in|follow\s+up)\s+(?:by\s+phone\s+)?(?:tomorrow|on|next)|"
    r"same\s+time\s+next|see\s+you\s+both|book\s+(?:you|the\s+next))\b",
    re.IGNORECASE,
)


def _answer_after(utts: list[Utterance], i: int) -> Utterance | None:
    return utts[i + 1] if i + 1 < len(utts) and utts[i + 1].role != "therapist" else None


def extract_assignments(t: Transcript) -> list[Fact]:
    """Homework given as steps, add-ons to a homework turn, or an endorsed proposal of the client."""
    out: list[Fact] = []
    utts = t.utterances
    last_homework = -10
    for i, u in enumerate(utts):
        if u.role != "therapist":
            continue
        m = HOMEWORK.search(u.text) or ASSIGNMENT.search(u.text)  # HOMEWORK first: the same clause as the plain homework rule
        add_on = ADDS_ON.search(u.text) and i - last_homework <= 2 and not u.text.rstrip().endswith("?")
        if not (m or add_on):
            continue
        lines = [u.line]
        if ENDORSES.search(u.text) and i and utts[i - 1].role == "client" and len(utts[i - 1].text.split()) >= 3:
            lines.insert(0, utts[i - 1].line)  # the client's own proposal, endorsed
        if u.text.rstrip().endswith("?") and (a := _answer_after(utts, i)) is not None:
            lines.append(a.line)  # "Would you be willing to keep track …?" — "I can do that."
        out.append(Fact(kind="homework", value=therapist_voice(clause_with(u.text, m.start() if m else 0)), lines=lines))
        last_homework = i
    return out


def extract_coordination(t: Transcript) -> list[Fact]:
    """Care coordination, referrals, disposition and mandated treatment, with the answer to a proposal."""
    out: list[Fact] = []
    utts = t.utterances
    for i, u in enumerate(utts):
        m = COORDINATION.search(u.text)
        if not m or (u.role != "therapist" and not MANDATE.search(u.text)):
            continue
        value = therapist_voice(clause_with(u.text, m.start())) if u.role == "therapist" else third_person(clause_with(u.text, m.start()))
        lines = [u.line]
        if u.role == "therapist" and u.text.rstrip().endswith("?") and (a := _answer_after(utts, i)) is not None:
            lines.append(a.line)
        out.append(Fact(kind="plan", value=value, lines=lines))
    return out


def extract_next_contact(t: Transcript) -> list[Fact]:
    """The next contact said as a date, a call-back or a held slot."""
    return [
        Fact(kind="next_appointment", value=therapist_voice(clause_with(u.text, m.start())), lines=[u.line])
        for u in t.utterances if u.role == "therapist" for m in [NEXT_CONTACT.search(u.text)] if m
    ]
