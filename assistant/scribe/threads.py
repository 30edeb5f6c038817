"""Follow-up threads: a clinician's short follow-up question and its answer belong to what they follow up.

"How many?", "When does that start?", "And before, how many times?", "SUDS now?" or "Again,
slowly." carry no topic of their own: the answer they draw out completes the statement before
them (a symptom's frequency, a rating's next value, a risk answer's detail). These helpers
extend an extracted fact over such follow-ups, cite the question an elliptical answer ("I
did.", "Twice.") depends on, and stretch an intervention over the exercise it starts.
"""

from __future__ import annotations

import re

from assistant.scribe.intake import Utterance
from assistant.scribe.lexicon import NUMBER, RATING_QUESTION, clause_with, sentences, third_person

# a question that asks for the frequency, duration, onset, course or detail of what was just said
PROBE = re.compile(
    r"^\W*(?:(?:and|so|okay|ok|then|right|but|now)[,.]?\s+)*(?:[\w\[\]]+,\s+)?(?:"
    r"how\s+(?:many|often|much|long|bad|strong|high|intense|similar|close|likely|did\s+(?:it|that|they)\s+go|"
    r"was\s+(?:it|that)|were\s+they|did\s+you\s+(?:handle|cope|manage)|does\s+(?:it|that)|do\s+you\s+(?:handle|cope))|"
    r"when\s+(?:does|did|do|is|was|were)|since\s+when|where\s+(?:was|were|did|does|is)|who\s+(?:was|else|did)|"
    r"what\s+(?:happened|happens\s+(?:next|then)|else|next|then|actually\s+happened|did\s+you\s+(?:do|notice|predict|learn|try|think)|"
    r"do\s+you\s+do\s+(?:when|if|then|instead)|was\s+(?:that|it)\s+like|about\s+(?:the|your)\s+\w+|"
    r"(?:kept|stopped|keeps|stops|gets\s+in\s+the\s+way\s+of)\s+you|made\s+(?:that|it)\s+(?:possible|hard)|"
    r"did\s+(?:that|it)\s+(?:feel|look)\s+like|goes\s+through\s+your\s+mind)|"
    r"what\s+(?:stands?|stood)\s+out|what\s+did\s+(?:that|it)\s+(?:teach|show)|then\s+what|and\s+then|anything\s+else|any\s+others?|like\s+what|tell\s+(?:me|us)\s+(?:about|more)|"
    r"out\s+of\s+how\s+many|is\s+that\s+(?:every|most|new|still)|are\s+you\s+still|did\s+(?:it|that|they)\s+help|"
    r"(?:the|your)\s+[\w-]+(?:\s+[\w-]+)?\?$|.*,\s+right\?$)",
    re.IGNORECASE,
)
# a prompt for the next value of a rating, or to repeat the exercise, during in-session work
RATING_PROMPT = re.compile(
    r"\b(?:SUDS|anxiety|distress|fear|urge|rating|ratings|intensity)\s*(?:now|level)?\s*\?|"
    r"^\W*(?:and\s+)?(?:once|one\s+more\s+time|again|keep\s+going|repeat|read\s+it\s+again|go\s+(?:back|through\s+it\s+again)|"
    r"(?:\w+\s+){0,2}(?:minutes?|seconds?)\s+(?:now|in)\b|stay\s+with\s+it|notice\s+the\s+urge)|"
    rf"^\W*(?:it's\s+been\s+)?{NUMBER}(?:[- ]\w+)?\s+minutes?\b|\b(?:once|one\s+time)\s+more\b|\bagain\b[^?]*$",
    re.IGNORECASE,
)
TELL_MORE = re.compile(r"^\W*(?:\w+,\s+)?(?:tell\s+(?:me|us)\s+(?:about|more)|say\s+more|go\s+on|walk\s+(?:me|us)\s+through)\b", re.IGNORECASE)
# the client confirming the therapist's recap ("Three weeks ago you'd missed four days." — "Yeah. …")
CONFIRMS = re.compile(r"^\W*(?:yeah|yes|yep|right|exactly|true|that's\s+right)\b", re.IGNORECASE)
FOLLOW_UP_TURNS = 3  # at most this many follow-up exchanges extend one statement


def last_question(text: str) -> str:
    """The last sentence of a turn when it is a question, else ``""``."""
    said = sentences(text)
    return said[-1] if said and said[-1].endswith("?") else ""


def is_probe(text: str, ratings: bool = False) -> bool:
    """Whether a therapist turn only follows up (short question; with ``ratings``, a rating or repeat prompt)."""
    question = last_question(text)
    if question and len(question.split()) <= 10 and PROBE.search(question):
        return True
    if not question and len(text.split()) <= 8 and TELL_MORE.search(text):
        return True
    if ratings and question and len(question.split()) <= 20 and RATING_QUESTION.search(question):
        return True
    return ratings and len(text.split()) <= 14 and bool(RATING_PROMPT.search(text))


def follow_ups(utts: list[Utterance], index: int, ratings: bool = False, claimed: frozenset[int] = frozenset()) -> list[tuple[Utterance, Utterance]]:
    """The (probe, answer) pairs that follow the statement at ``index`` and complete it.

    A short recap the client confirms counts as a follow-up. The thread stops at a turn that
    is not a follow-up, at a therapist speaking twice, and at ``claimed`` lines.
    """
    pairs: list[tuple[Utterance, Utterance]] = []
    i = index
    while len(pairs) < FOLLOW_UP_TURNS and i + 2 < len(utts):
        probe, answer = utts[i + 1], utts[i + 2]
        if probe.role != "therapist" or answer.role == "therapist" or answer.line in claimed:
            break
        recap = not last_question(probe.text) and len(probe.text.split()) <= 14 and CONFIRMS.search(answer.text)
        if not (is_probe(probe.text, ratings) or recap):
            break
        pairs.append((probe, answer))
        i += 2
    return pairs


def answer_clause(answer: Utterance) -> str:
    """The answer's first sentence, in note voice for the speaker."""
    clause = clause_with(answer.text, 0)
    return third_person(clause) if answer.role == "client" else clause


ELLIPTICAL = re.compile(
    r"^\W*(?:yes|yeah|yep|no|nope|not\s+really|sort\s+of|kind\s+of|i\s+(?:did|didn't|do|don't|have|haven't|was|wasn't|tried)\b|"
    r"it\s+(?:did|was|went)|that\s+(?:did|was)|they\s+(?:did|were)|better|worse|the\s+same|"
    rf"(?:about|maybe|like|probably|around|only|just)?\s*(?:an?\s+)?{NUMBER}\b)",
    re.IGNORECASE,
)


def elliptical(text: str) -> bool:
    """Whether an answer leans on the question for its subject ("I did.", "Twice.", "Yes, mostly.")."""
    return bool(ELLIPTICAL.search(text)) or len(text.split()) <= 4
