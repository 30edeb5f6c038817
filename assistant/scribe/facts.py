"""Offline fact extraction: session facts with the transcript lines they come from.

Speaker-aware patterns over de-identified utterances. Every fact's ``value`` is built from
the words of its own lines (a clause, a measure and its score, a technique's name), so the
offline engine cannot state what was not said. Risk is recorded only when it was talked
about: a therapist's question with the client's answer, or the client raising it; a
question nobody asked is a gap for the co-pilot, never a "denies".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from assistant.copilot.detect_clinical import IMPAIR_CUE, IMPAIR_DOMAIN, MEASURE, SYMPTOM, TECHNIQUE
from assistant.copilot.findings import negated, positive_matches
from assistant.scribe.intake import Transcript, Utterance
from assistant.scribe.lexicon import (
    ACTIVITY,
    BETWEEN_SESSIONS,
    CHANGE,
    COUNT_QUESTION,
    DID_IT,
    DIRECTIVE,
    ENGAGED,
    EXTRA_TECHNIQUE,
    FUTURE,
    HAS_NUMBER,
    HI_Q,
    HOMEWORK,
    MED_CONTEXT,
    MEDICATION,
    MOOD,
    MOOD_QUESTION,
    MOOD_WORD,
    NEXT,
    NO_ANSWER,
    OWN_WORDS,
    PLAN,
    PROGRESS,
    PSYCHOED,
    QUANTITY,
    RATING_ANSWER,
    RATING_QUESTION,
    REFLECTION,
    RISK_FOLLOWUP,
    SAFETY,
    SCORE_LOOSE,
    SI_Q,
    SOMATIC,
    WEEKLY_COUNT,
    YES_ANSWER,
    clause_with,
    therapist_voice,
    third_person,
    voiced,
)

__all__ = ["MEDICATION", "OWN_WORDS", "Fact", "extract_facts", "therapist_voice"]

FactKind = Literal[
    "symptom", "score", "functional_impact", "mood", "risk", "intervention", "response", "progress",
    "medication", "homework", "plan", "next_appointment", "participants",
]


class Fact(BaseModel):
    """One session fact and the lines that state it."""

    kind: FactKind
    value: str
    lines: list[int]


def _question_before(utts: list[Utterance], i: int) -> Utterance | None:
    """The therapist turn the client's turn ``i`` answers (within two turns), if any."""
    for j in (i - 1, i - 2):
        if j >= 0 and utts[j].role == "therapist":
            return utts[j]
        if j >= 0 and utts[j].role == "client" and j == i - 1:
            continue
    return None


def _fact(kind: FactKind, u: Utterance, position: int, q: Utterance | None = None) -> Fact:
    value = voiced(clause_with(u.text, position), u.role)
    return Fact(kind=kind, value=value, lines=[q.line, u.line] if q else [u.line])


def _is_intervention(text: str) -> bool:
    return bool(TECHNIQUE.search(text) or ACTIVITY.search(text) or EXTRA_TECHNIQUE.search(text) or PSYCHOED.search(text)
                or re.search(r"evidence|what\s+would\s+you\s+tell|another\s+way\s+to\s+(?:see|look)|what\s+did\s+you\s+notice", text, re.IGNORECASE))


def extract_scores(t: Transcript) -> list[Fact]:
    """Standardized measures with a score stated this session (not "we'll do it next time")."""
    out = []
    for u in t.utterances:
        for m in MEASURE.finditer(u.text):
            if re.search(r"\b(?:next\s+(?:time|week|session)|will\s+do|we'll\s+do)\b", u.text[m.start():m.end() + 30], re.IGNORECASE):
                continue
            out.append(Fact(kind="score", value=therapist_voice(" ".join(m.group(0).split())), lines=[u.line]))
        for m in SCORE_LOOSE.finditer(u.text):
            if not any(f.lines == [u.line] and m.group("name") in f.value for f in out):
                out.append(Fact(kind="score", value=" ".join(m.group(0).split()), lines=[u.line]))
    return out


def extract_client_reports(t: Transcript) -> list[Fact]:
    """Symptoms, functional impact, mood, progress and in-session responses, read with the question asked."""
    out: list[Fact] = []
    utts = t.utterances
    for i, u in enumerate(utts):
        if u.role == "other" and i and utts[i - 1].role == "therapist" and _is_intervention(utts[i - 1].text):
            out.append(_fact("response", u, 0, utts[i - 1]))  # a family member's reaction to the work
        if u.role != "client":
            continue
        q = _question_before(utts, i)
        if q is not None and q.line == u.line - 1 and _is_intervention(q.text) and len(u.text.split()) >= 3:
            out.append(_fact("response", u, 0, q))
        qt = q.text if q else ""
        hits = positive_matches(SYMPTOM, u.text) or positive_matches(SOMATIC, u.text)
        asked = q is not None and (positive_matches(SYMPTOM, qt) or positive_matches(SOMATIC, qt))
        if asked and q is not None and q.line == u.line - 1 and (QUANTITY.search(u.text) or COUNT_QUESTION.search(qt)):
            out.append(_fact("symptom", u, hits[0].start() if hits else 0, q))
        elif hits and not CHANGE.search(u.text):
            out.append(_fact("symptom", u, hits[0].start()))
        domain, cue = IMPAIR_DOMAIN.search(u.text), IMPAIR_CUE.search(u.text)
        if domain and cue and not negated(u.text, cue.start(), 20):
            out.append(_fact("functional_impact", u, cue.start()))
        elif q and IMPAIR_DOMAIN.search(qt) and cue and not negated(u.text, cue.start(), 20):
            out.append(_fact("functional_impact", u, cue.start(), q))
        mood = MOOD.search(u.text)
        if mood:
            out.append(Fact(kind="mood", value=third_person(clause_with(u.text, mood.start())), lines=[u.line]))
        elif q and MOOD_QUESTION.search(qt) and MOOD_WORD.search(u.text):
            out.append(_fact("mood", u, MOOD_WORD.search(u.text).start(), q))  # type: ignore[union-attr]
        if (q and RATING_QUESTION.search(qt) and HAS_NUMBER.search(u.text)) or RATING_ANSWER.search(u.text):
            out.append(_fact("response", u, 0, q if q is not None and q.line == u.line - 1 else None))
        elif ENGAGED.search(u.text) and q is not None and q.line == u.line - 1:
            out.append(_fact("response", u, ENGAGED.search(u.text).start(), q))  # type: ignore[union-attr]
        change = CHANGE.search(u.text) or PROGRESS.search(u.text)
        if change:
            out.append(_fact("progress", u, change.start(), q if q and HAS_NUMBER.search(qt + u.text) and q.line == u.line - 1 else None))
        elif DID_IT.search(u.text) and WEEKLY_COUNT.search(u.text):
            out.append(_fact("progress", u, DID_IT.search(u.text).start()))  # type: ignore[union-attr]
        if DID_IT.search(u.text) and (TECHNIQUE.search(u.text) or EXTRA_TECHNIQUE.search(u.text) or CHANGE.search(u.text)):
            out.append(_fact("response", u, DID_IT.search(u.text).start()))  # type: ignore[union-attr]
        elif u.line <= 0.4 * len(utts) and (DID_IT.search(u.text) or HAS_NUMBER.search(u.text)) and BETWEEN_SESSIONS.search(u.text):
            out.append(_fact("progress", u, 0))
    return out


def extract_risk(t: Transcript) -> list[Fact]:
    """Risk as talked about: a question and its answer, the client raising it, a safety plan."""
    out = []
    utts = t.utterances
    for i, u in enumerate(utts):
        domain = "suicidal or self-harm thoughts" if SI_Q.search(u.text) else "thoughts of harming others" if HI_Q.search(u.text) else None
        if u.role == "therapist" and domain and "?" in u.text:
            answer = next((a for a in utts[i + 1:i + 3] if a.role == "client"), None)
            if answer is None:
                continue
            if NO_ANSWER.search(answer.text) and not SI_Q.search(answer.text):
                out.append(Fact(kind="risk", value=f"asked about {domain}; client denied", lines=[u.line, answer.line]))
            elif YES_ANSWER.search(answer.text) or SI_Q.search(answer.text) or NO_ANSWER.search(answer.text):
                quote = clause_with(answer.text, 0)
                out.append(Fact(kind="risk", value=f"asked about {domain}; client said: \"{quote}\"", lines=[u.line, answer.line]))
        elif u.role == "client" and SI_Q.search(u.text) and not (i and utts[i - 1].role == "therapist" and SI_Q.search(utts[i - 1].text)):
            m = SI_Q.search(u.text)
            assert m is not None
            out.append(Fact(kind="risk", value=f"client raised: \"{clause_with(u.text, m.start())}\"", lines=[u.line]))
        if u.role == "therapist" and "?" in u.text and RISK_FOLLOWUP.search(u.text) and any(
            f.lines[-1] >= u.line - 10 for f in out if f.value.startswith(("asked about", "client raised"))
        ):
            answer = next((a for a in utts[i + 1:i + 3] if a.role == "client"), None)
            if answer is not None:
                out.append(Fact(kind="risk", value=f"follow-up: {therapist_voice(clause_with(u.text, RISK_FOLLOWUP.search(u.text).start()))} "  # type: ignore[union-attr]
                                f"— client: \"{clause_with(answer.text, 0)}\"", lines=[u.line, answer.line]))
        m = SAFETY.search(u.text)
        if m:
            out.append(Fact(kind="risk", value=f"safety planning: {voiced(clause_with(u.text, m.start()), u.role)}", lines=[u.line]))
    return out


def extract_interventions(t: Transcript) -> list[Fact]:
    """Techniques the therapist used (every one named, reflections, psychoeducation)."""
    out = []
    for u in t.utterances:
        if u.role != "therapist":
            continue
        named = positive_matches(TECHNIQUE, u.text)
        for m in named:
            out.append(Fact(kind="intervention", value=" ".join(m.group(0).split()), lines=[u.line]))
        if not named and REFLECTION.search(u.text) and not u.text.rstrip().endswith("?"):
            out.append(Fact(kind="intervention", value="reflective listening", lines=[u.line]))
        elif not named and PSYCHOED.search(u.text):
            out.append(Fact(kind="intervention", value="psychoeducation", lines=[u.line]))
        elif not named and (activity := ACTIVITY.search(u.text) or EXTRA_TECHNIQUE.search(u.text)):
            out.append(_fact("intervention", u, activity.start()))
        elif out and DIRECTIVE.search(u.text) and u.line - out[-1].lines[-1] <= 4:
            out.append(Fact(kind="intervention", value=out[-1].value, lines=[u.line]))  # a step of the same exercise
    return out


def _simple(kind: FactKind, pattern: re.Pattern[str], roles: tuple[str, ...], questions: bool = False) -> Callable[[Transcript], list[Fact]]:
    def extract(t: Transcript) -> list[Fact]:
        return [
            _fact(kind, u, m.start()) for u in t.utterances
            if u.role in roles and (questions or not u.text.rstrip().endswith("?")) for m in [pattern.search(u.text)] if m
        ]

    extract.__doc__ = f"{kind} facts."
    return extract


def extract_medication(t: Transcript) -> list[Fact]:
    """Medications with a dose, change, adherence or side effect (a later turn may refer back to one)."""
    out = []
    last_named: Utterance | None = None
    for u in t.utterances:
        m = MEDICATION.search(u.text)
        context = MED_CONTEXT.search(u.text)
        if m and context and not u.text.rstrip().endswith("?"):
            out.append(_fact("medication", u, m.start()))
        elif context and last_named is not None and u.role == "client" and u.line - last_named.line <= 6:
            value = f"{MEDICATION.search(last_named.text).group(0)}: {third_person(clause_with(u.text, context.start()))}"  # type: ignore[union-attr]
            out.append(Fact(kind="medication", value=value, lines=[last_named.line, u.line]))
        if m and m.group(0).lower() not in ("medication", "meds", "pill", "pills"):
            last_named = u
    return out


def extract_participants(t: Transcript) -> list[Fact]:
    """Who took part, by role (names are never used), citing each speaker's first turn."""
    first: dict[str, int] = {}
    role_of: dict[str, str] = {}
    for u in t.utterances:
        first.setdefault(u.speaker, u.line)
        role_of.setdefault(u.speaker, u.role)
    counts = {r: sum(1 for s in first if role_of[s] == r) for r in ("therapist", "client", "other")}
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}
    parts = [f"{words.get(n, 'several')} {r}{'s' if n > 1 else ''}" if r != "other" else
             f"{words.get(n, 'several')} other participant{'s' if n > 1 else ''}" for r, n in counts.items() if n]
    return [Fact(kind="participants", value=", ".join(parts), lines=sorted(first.values()))]


def extract_closing_plan(t: Transcript) -> list[Fact]:
    """What the therapist lays out for after the session, in its last part (plan, and homework when it asks the client)."""
    out = []
    start = 0.6 * len(t.utterances)
    for u in t.utterances:
        m = FUTURE.search(u.text)
        if u.role == "therapist" and u.line >= start and m and not u.text.rstrip().endswith("?"):
            out.append(_fact("plan", u, m.start()))
            if re.search(r"\byou\b|\bkeep\b|\btry\b|\bpractice\b", u.text, re.IGNORECASE):
                out.append(_fact("homework", u, m.start()))
    return out


EXTRACTORS: tuple[Callable[[Transcript], list[Fact]], ...] = (
    extract_scores, extract_client_reports, extract_risk, extract_interventions, extract_medication,
    _simple("homework", HOMEWORK, ("therapist",)), _simple("plan", PLAN, ("therapist",)),
    _simple("next_appointment", NEXT, ("therapist", "client"), questions=True), extract_participants, extract_closing_plan,
)


# kinds whose statements spread over an exchange (ratings across trials, a risk inquiry and its
# follow-ups) are gathered into one fact when they come within this many lines of each other
EPISODE_GAP = 6
WIDE_EPISODES = {"response": 12, "intervention": 8}
EPISODIC = frozenset({"risk", "response", "symptom", "progress", "intervention", "homework", "plan", "medication", "functional_impact"})


def _episodes(facts: list[Fact]) -> list[Fact]:
    out: list[Fact] = []
    for fact in sorted(facts, key=lambda f: (f.kind, f.lines[0])):
        last = out[-1] if out else None
        gap = WIDE_EPISODES.get(fact.kind, EPISODE_GAP)
        if last is not None and last.kind == fact.kind and fact.kind in EPISODIC and fact.lines[0] - last.lines[-1] <= gap:
            values = last.value.split("; ")
            if fact.value not in values:
                last.value = "; ".join([*values, fact.value])
            last.lines = sorted(set(last.lines) | set(fact.lines))
        else:
            out.append(fact.model_copy())
    return out


def extract_facts(transcript: Transcript) -> list[Fact]:
    """Every fact of the session; statements of one exchange are gathered with all their lines."""
    merged: dict[tuple[str, str], Fact] = {}
    for extractor in EXTRACTORS:
        for fact in extractor(transcript):
            key = (fact.kind, fact.value.lower())
            if key in merged:
                merged[key].lines = sorted(set(merged[key].lines) | set(fact.lines))
            else:
                merged[key] = fact
    order = {kind: i for i, kind in enumerate(("participants", "mood", "symptom", "score", "functional_impact", "medication",
                                               "risk", "intervention", "response", "progress", "homework", "plan", "next_appointment"))}
    return sorted(_episodes(list(merged.values())), key=lambda f: (order.get(f.kind, 99), f.lines[0]))
