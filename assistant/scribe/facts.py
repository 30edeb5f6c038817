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

from assistant.copilot.detect_clinical import MEASURE, TECHNIQUE
from assistant.copilot.findings import positive_matches
from assistant.scribe.gather import (
    Fact,
    FactKind,
    cite_questions,
    episodes,
    extend_follow_ups,
    span_exercises,
)
from assistant.scribe.intake import Transcript, Utterance
from assistant.scribe.lexicon import (
    ACTIVITY,
    DENIAL,
    DIRECTIVE,
    EXTRA_TECHNIQUE,
    FUTURE,
    HI_Q,
    HOMEWORK,
    MED_CONTEXT,
    MEDICATION,
    NEXT,
    NO_ANSWER,
    OWN_WORDS,
    PLAN,
    PSYCHOED,
    REFLECTION,
    RISK_FOLLOWUP,
    SAFETY,
    SCORE_LOOSE,
    SELF_HARM_TOLD,
    SI_Q,
    YES_ANSWER,
    clause_with,
    therapist_voice,
    third_person,
    voiced,
)
from assistant.scribe.plans import extract_assignments, extract_coordination, extract_next_contact
from assistant.scribe.reports import extract_client_reports
from assistant.scribe.terms import (
    COGNITIVE_QUESTION,
    DEFERRED,
    MEASURE_NAME,
    MEASURE_VALUE,
    SPOKEN_MOVE,
    SPOKEN_TECHNIQUE,
)

__all__ = ["MEDICATION", "OWN_WORDS", "Fact", "extract_facts", "therapist_voice"]

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


def extract_scores(t: Transcript) -> list[Fact]:
    """Standardized measures with a score stated this session (not "we'll do it next time")."""
    out = []
    for u in t.utterances:
        for m in MEASURE.finditer(u.text):
            if re.search(r"\b(?:next\s+(?:time|week|session)|will\s+do|we'll\s+do)\b", u.text[m.start():m.end() + 30], re.IGNORECASE):
                continue
            out.append(Fact(kind="score", value=therapist_voice(" ".join(m.group(0).split())), lines=[u.line]))
        for m in MEASURE_NAME.finditer(u.text):  # "Your SPIN today is 38", "I have your AUDIT from today. It came out at 18."
            v = MEASURE_VALUE.search(u.text, m.end(), m.end() + 60)
            if v and not DEFERRED.search(u.text[m.start():v.end()]) and not any(f.lines == [u.line] and m.group(0) in f.value for f in out):
                out.append(Fact(kind="score", value=therapist_voice(" ".join(u.text[m.start():v.end()].split())), lines=[u.line]))
        for m in SCORE_LOOSE.finditer(u.text):
            if not any(f.lines == [u.line] and m.group("name") in f.value for f in out):
                out.append(Fact(kind="score", value=" ".join(m.group(0).split()), lines=[u.line]))
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
            else:  # an answer that is not a plain "no" is quoted: the denial in it, or its first sentence
                denial = DENIAL.search(answer.text)
                quote = clause_with(answer.text, denial.start() if denial and not YES_ANSWER.search(answer.text) else 0)
                out.append(Fact(kind="risk", value=f"asked about {domain}; client said: \"{quote}\"", lines=[u.line, answer.line]))
        elif u.role == "client" and (SI_Q.search(u.text) or SELF_HARM_TOLD.search(u.text)) and not (i and utts[i - 1].role == "therapist" and SI_Q.search(utts[i - 1].text)):
            m = SI_Q.search(u.text) or SELF_HARM_TOLD.search(u.text)
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
    """Techniques the therapist used (every one named, reflections, psychoeducation, Socratic questions)."""
    out = []
    by_line = {u.line: u for u in t.utterances}
    for u in t.utterances:
        if u.role != "therapist":
            continue
        # an acronym counts only in capitals ("ACT", not "act on it"; "MI", not "mi")
        named = [m for m in positive_matches(TECHNIQUE, u.text) or positive_matches(SPOKEN_TECHNIQUE, u.text)
                 if not (m.group(0).isalpha() and len(m.group(0)) <= 4 and not m.group(0).isupper())]
        examined = [prev.line] if COGNITIVE_QUESTION.search(u.text) and (prev := by_line.get(u.line - 1)) and prev.role != "therapist" else []
        for m in named:
            out.append(Fact(kind="intervention", value=" ".join(m.group(0).split()), lines=[*examined, u.line]))
        if not named and (move := SPOKEN_MOVE.search(u.text)):
            out.append(Fact(kind="intervention", value=therapist_voice(clause_with(u.text, move.start())), lines=[*examined, u.line]))
            continue
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
    extract_assignments, extract_coordination, extract_next_contact,
)


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
    facts = cite_questions(list(merged.values()), transcript.utterances)
    facts = extend_follow_ups(facts, transcript.utterances)
    starts = {f.lines[0] for f in facts if f.kind in ("homework", "plan", "next_appointment", "score", "medication")}
    named = {u.line: {m.group(0).lower() for p in (TECHNIQUE, SPOKEN_TECHNIQUE) for m in positive_matches(p, u.text)} for u in transcript.utterances}
    facts = span_exercises(facts, transcript.utterances, starts, named)
    return sorted(episodes(facts), key=lambda f: (order.get(f.kind, 99), f.lines[0]))
