"""What the client, and in family sessions a parent or partner, reports: symptoms, impact, mood, progress, response.

Each statement is read with the question it answers. A family member's report about the
identified client is collateral information, recorded as theirs ("according to other
participant, …"), never as the client's own words. A negated symptom ("the nightmares
haven't come back") is progress, not a symptom.
"""

from __future__ import annotations

import re

from assistant.copilot.detect_clinical import IMPAIR_CUE, IMPAIR_DOMAIN, SYMPTOM, TECHNIQUE
from assistant.copilot.findings import negated
from assistant.scribe.gather import Fact, FactKind
from assistant.scribe.intake import Transcript, Utterance
from assistant.scribe.lexicon import (
    ACTIVITY,
    BETWEEN_SESSIONS,
    CHANGE,
    COUNT_QUESTION,
    DID_IT,
    ENGAGED,
    EXTRA_TECHNIQUE,
    HAS_NUMBER,
    MOOD,
    MOOD_QUESTION,
    MOOD_WORD,
    PROGRESS,
    PSYCHOED,
    QUANTITY,
    RATING_ANSWER,
    RATING_QUESTION,
    SOMATIC,
    WEEKLY_COUNT,
    clause_with,
    third_person,
)
from assistant.scribe.terms import SPOKEN_DOMAIN, SPOKEN_IMPACT, SPOKEN_MOVE, SPOKEN_SYMPTOM, SPOKEN_TECHNIQUE
from assistant.scribe.threads import last_question

COLLATERAL = "according to other participant, "
# a question about how the client feels right now or about what just happened (mood in their words)
FEELING_QUESTION = re.compile(
    r"how\s+(?:does|did|do)\s+(?:that|it|this)\s+(?:sound|feel)|how\s+(?:was|is)\s+(?:that|this)\s+for\s+you|"
    r"how\s+are\s+you\s+(?:holding\s+up|feeling)|what(?:'s|\s+is)\s+your\s+(?:energy|mood)|how\s+do\s+you\s+feel|"
    r"how\s+(?:did|does)\s+(?:the|your)\s+\w+(?:\s+\w+)?\s+feel|how\s+(?:are|were)\s+you\s+feeling",
    re.IGNORECASE,
)
FEELING_WORD = re.compile(
    r"\b(?:doable|hopeful|hard|awful|weird|nervous|exhausted|drained|calmer|calm|relieved|proud|scared|sad|anxious|"
    r"good|better|lighter|heavy|numb|embarrassed|skeptical|motivated|wired|in\s+control|overwhelmed|tired|okay)\b",
    re.IGNORECASE,
)
IMPACT_QUESTION = re.compile(r"\b(?:affect\w*|interfer\w*|caus\w+\s+(?:any\s+)?problems?|get\s+in\s+the\s+way\s+of|cost(?:ing)?\s+you)\b[^?]*\?", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?]\s+")
CONSENT = re.compile(r"^\W*(?:yes|yeah|yep|okay|ok|sure|fine|that\s+works)\b", re.IGNORECASE)
NO_START = re.compile(r"^\W*(?:no|none|zero|never|nothing|not\s+really|nope|not\s+at\s+all)\b", re.IGNORECASE)
AGREEMENT_QUESTION = re.compile(
    r"\b(?:(?:will|would|can|could)\s+you\s+(?:be\s+willing|agree|commit|try|do\s+that|call|skip|use)|are\s+you\s+willing|"
    r"is\s+that\s+okay|does\s+that\s+work)\b[^?]*\?", re.IGNORECASE)
REACTION_QUESTION = re.compile(
    r"how\s+(?:was|did)\s+(?:that|it)\b[^?]*\?|how\s+does\s+(?:that|it)\s+(?:sound|feel)|how\s+did\s+it\s+feel", re.IGNORECASE)
REVIEW_QUESTION = re.compile(
    r"how\s+did\s+(?:the|your)\s+[\w\s-]{1,30}\s+go|did\s+you\s+(?:get\s+to|do|try|write|use|practice|complete|finish|fill)|"
    r"how\s+(?:was|were)\s+the\s+\w+|where\s+are\s+we\s+with|how\s+did\s+(?:it|that)\s+go", re.IGNORECASE)
ELLIPTICAL_YES = re.compile(r"^\W*(?:yes|yeah|yep|I\s+did|mostly|most\s+days)\b", re.IGNORECASE)
# a rating given during in-session work: a bare number, or a de-identified one ("[AGE_1]" for "ninety")
BARE_RATING = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:\[AGE_\d+\]|\d{1,3}\b)", re.IGNORECASE)


def _question_before(utts: list[Utterance], i: int) -> Utterance | None:
    """The therapist turn the turn ``i`` answers (within two turns), if any."""
    for j in (i - 1, i - 2):
        if j >= 0 and utts[j].role == "therapist":
            return utts[j]
        if j >= 0 and utts[j].role != "therapist" and j == i - 1:
            continue
    return None


def _voiced(u: Utterance, position: int) -> str:
    clause = clause_with(u.text, position)
    return third_person(clause) if u.role == "client" else COLLATERAL + clause


def _fact(kind: FactKind, u: Utterance, position: int, q: Utterance | None = None) -> Fact:
    return Fact(kind=kind, value=_voiced(u, position), lines=[q.line, u.line] if q else [u.line])


def is_intervention(text: str) -> bool:
    """Whether a therapist turn does therapeutic work (a technique, an exercise, psychoeducation, Socratic questioning)."""
    return bool(TECHNIQUE.search(text) or ACTIVITY.search(text) or EXTRA_TECHNIQUE.search(text) or PSYCHOED.search(text)
                or SPOKEN_TECHNIQUE.search(text) or SPOKEN_MOVE.search(text)
                or re.search(r"evidence|what\s+would\s+you\s+tell|another\s+way\s+to\s+(?:see|look)|what\s+did\s+you\s+notice", text, re.IGNORECASE))


def _rating_context(utts: list[Utterance], i: int) -> bool:
    """Whether a rating was asked for or given in the last few turns (the client is reporting values in an exercise)."""
    return any((u.role == "therapist" and RATING_QUESTION.search(u.text)) or (u.role != "therapist" and RATING_ANSWER.search(u.text))
               for u in utts[max(0, i - 6):i])


def _negated_here(text: str, position: int) -> bool:
    """Negation in the word's own sentence ("Not great. I skip lunch" does not negate "skip lunch")."""
    start = max((m.end() for m in SENTENCE_END.finditer(text, 0, position)), default=0)
    return negated(text[start:], position - start)


def _symptom_words(text: str) -> list[re.Match[str]]:
    found = [m for p in (SYMPTOM, SOMATIC, SPOKEN_SYMPTOM) for m in p.finditer(text)]
    return sorted(found, key=lambda m: m.start())


def _symptom_hits(text: str) -> list[re.Match[str]]:
    """Symptom words not negated in their sentence, less "number" (the shared "numb" pattern also matches it)."""
    return [m for m in _symptom_words(text) if not _negated_here(text, m.start())]


def _symptom_talk(text: str) -> bool:
    return bool(_symptom_hits(text))


def _symptoms(utts: list[Utterance], i: int, q: Utterance | None) -> list[Fact]:
    u = utts[i]
    qt = q.text if q else ""
    hits = _symptom_hits(u.text)
    if not hits and _symptom_words(u.text):
        return []  # "I haven't had a full panic attack in three weeks": progress, not a symptom
    # the question, or the exchange it continues ("How much time per day now?" after talk of checking)
    asked = q is not None and bool(last_question(qt)) and (_symptom_talk(qt) or (COUNT_QUESTION.search(qt) is not None and any(_symptom_talk(p.text) for p in utts[max(0, i - 4):i - 1])))
    # a consent ("Yes. Here's his number.") is no symptom report unless it says how often
    consent = CONSENT.search(u.text) is not None and WEEKLY_COUNT.search(u.text) is None and not _symptom_talk(last_question(qt))
    if asked and q is not None and q.line == u.line - 1 and (QUANTITY.search(u.text) or COUNT_QUESTION.search(qt)) and not NO_START.search(u.text) \
            and not consent:
        return [_fact("symptom", u, hits[0].start() if hits else 0, q)]
    if hits and (not CHANGE.search(u.text) or QUANTITY.search(u.text[hits[0].start():])):
        return [_fact("symptom", u, hits[0].start())]  # a symptom still there, even when it is less than before
    return []


def _impact(u: Utterance, q: Utterance | None) -> list[Fact]:
    qt = q.text if q else ""
    domain, cue = IMPAIR_DOMAIN.search(u.text), IMPAIR_CUE.search(u.text) or SPOKEN_IMPACT.search(u.text)
    spoken = SPOKEN_IMPACT.search(u.text)
    if (domain and cue and not negated(u.text, cue.start(), 20)) or (spoken and not negated(u.text, spoken.start(), 20)):
        return [_fact("functional_impact", u, (cue or spoken).start())]  # type: ignore[union-attr]
    if q and IMPACT_QUESTION.search(qt) and not NO_START.search(u.text):
        return [_fact("functional_impact", u, 0, q)]  # "Is that affecting work?" — "I take two buses …"
    if q and IMPAIR_DOMAIN.search(qt) and COUNT_QUESTION.search(qt) and QUANTITY.search(u.text):
        return [_fact("functional_impact", u, 0, q)]  # "How many days did you get out of the house?" — "Twice."
    if q and (IMPAIR_DOMAIN.search(qt) or IMPAIR_CUE.search(qt) or SPOKEN_DOMAIN.search(qt)) and cue and not negated(u.text, cue.start(), 20):
        return [_fact("functional_impact", u, cue.start(), q)]
    return []


def _mood(u: Utterance, q: Utterance | None) -> list[Fact]:
    qt = q.text if q else ""
    mood = MOOD.search(u.text)
    if mood:
        return [Fact(kind="mood", value=_voiced(u, mood.start()), lines=[u.line])]
    word = MOOD_WORD.search(u.text) or FEELING_WORD.search(u.text)
    if q and (MOOD_QUESTION.search(qt) or FEELING_QUESTION.search(qt)) and word:
        return [_fact("mood", u, word.start(), q)]
    return []


def _response_progress(utts: list[Utterance], i: int, q: Utterance | None) -> list[Fact]:
    u = utts[i]
    qt = q.text if q else ""
    out = []
    adjacent = q is not None and q.line == u.line - 1
    if (q and RATING_QUESTION.search(qt) and (HAS_NUMBER.search(u.text) or BARE_RATING.search(u.text))) or RATING_ANSWER.search(u.text) \
            or (_rating_context(utts, i) and (BARE_RATING.search(u.text) or HAS_NUMBER.search(u.text))):
        out.append(_fact("response", u, 0, q if adjacent else None))
    elif adjacent and (AGREEMENT_QUESTION.search(qt) or REACTION_QUESTION.search(qt)):
        out.append(_fact("response", u, 0, q))  # agreeing to a step, or how the work just done felt
    elif (m := ENGAGED.search(u.text)) and adjacent:
        out.append(_fact("response", u, m.start(), q))
    change = CHANGE.search(u.text) or PROGRESS.search(u.text)
    if change:
        out.append(_fact("progress", u, change.start(), q if q and HAS_NUMBER.search(qt + u.text) and adjacent else None))
    elif (did := DID_IT.search(u.text)) and WEEKLY_COUNT.search(u.text):
        out.append(_fact("progress", u, did.start()))
    if adjacent and REVIEW_QUESTION.search(qt) and u.line <= 0.4 * len(utts) and (DID_IT.search(u.text) or ELLIPTICAL_YES.search(u.text)):
        out.append(_fact("progress", u, 0, q))  # the homework review at the start of a session
    did = DID_IT.search(u.text)
    if did and (TECHNIQUE.search(u.text) or EXTRA_TECHNIQUE.search(u.text) or SPOKEN_TECHNIQUE.search(u.text) or CHANGE.search(u.text)):
        out.append(_fact("response", u, did.start()))
    elif u.line <= 0.4 * len(utts) and (did or HAS_NUMBER.search(u.text)) and BETWEEN_SESSIONS.search(u.text):
        out.append(_fact("progress", u, 0))
    return out


def extract_client_reports(t: Transcript) -> list[Fact]:
    """Symptoms, functional impact, mood, progress and in-session responses, read with the question asked."""
    out: list[Fact] = []
    utts = t.utterances
    for i, u in enumerate(utts):
        if u.role == "therapist":
            continue
        q = _question_before(utts, i)
        if q is not None and q.line == u.line - 1 and is_intervention(q.text) and len(u.text.split()) >= 3:
            out.append(_fact("response", u, 0, q))
        out += _symptoms(utts, i, q) + _impact(u, q) + _mood(u, q) + _response_progress(utts, i, q)
    return out
