"""Gathering statements into facts: the fact model, follow-up threads, exercise spans and episodes.

Extractors find single statements; a note's fact is often an exchange: a symptom and the
answers to "How often?" and "When does it start?", a rating and its values across the
trials of an exposure, a technique and the turns of the exercise it started. Every step here
only adds lines the fact's words come from (or clauses of those lines), never new words.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from assistant.scribe.intake import Utterance
from assistant.scribe.lexicon import DIRECTIVE, HAS_NUMBER, HI_Q, RATING_QUESTION, SAFETY, SI_Q
from assistant.scribe.threads import answer_clause, elliptical, follow_ups, last_question

FactKind = Literal[
    "symptom", "score", "functional_impact", "mood", "risk", "intervention", "response", "progress",
    "medication", "homework", "plan", "next_appointment", "participants",
]


class Fact(BaseModel):
    """One session fact and the lines that state it."""

    kind: FactKind
    value: str
    lines: list[int]


THREADED = frozenset({"symptom", "functional_impact", "mood", "progress", "response", "risk"})
RATED = frozenset({"response", "mood"})
ANSWER_KINDS = frozenset({"symptom", "functional_impact", "mood", "progress", "response", "homework", "plan"})
EXERCISE_SPAN = 10  # an exercise's turns after the technique that starts it, at most


def _index(utts: list[Utterance]) -> dict[int, int]:
    return {u.line: i for i, u in enumerate(utts)}


def extend_follow_ups(facts: list[Fact], utts: list[Utterance]) -> list[Fact]:
    """Facts stated by the client (or a parent) take in the answers to the therapist's follow-ups."""
    at = _index(utts)
    out = []
    for f in facts:
        i = at.get(f.lines[-1])
        if f.kind in THREADED and i is not None and utts[i].role != "therapist":
            ratings = f.kind in RATED or bool(HAS_NUMBER.search(utts[i].text))
            pairs = follow_ups(utts, i, ratings=ratings)
            if pairs:
                added = [answer_clause(a) for _, a in pairs]
                sep = " — client: " if f.kind == "risk" else "; "
                f = f.model_copy(update={
                    "value": sep.join([f.value, *(c for c in added if c.lower() not in f.value.lower())]),
                    "lines": sorted({*f.lines, *(n for p in pairs for n in (p[0].line, p[1].line))}),
                })
        out.append(f)
    return out


def cite_questions(facts: list[Fact], utts: list[Utterance]) -> list[Fact]:
    """An elliptical answer ("I did.", "Twice.") cites the question that gives it its subject."""
    at = _index(utts)
    out = []
    for f in facts:
        i = at.get(f.lines[0])
        if (f.kind in ANSWER_KINDS and i and utts[i].role != "therapist" and utts[i - 1].role == "therapist"
                and last_question(utts[i - 1].text) and elliptical(utts[i].text)):
            f = f.model_copy(update={"lines": sorted({utts[i - 1].line, *f.lines})})
        out.append(f)
    return out


def _continues_exercise(u: Utterance) -> bool:
    """A therapist turn that is a step of the exercise under way, not a new topic."""
    if SI_Q.search(u.text) or HI_Q.search(u.text):
        return False
    q = last_question(u.text)
    return bool(DIRECTIVE.search(u.text) or RATING_QUESTION.search(u.text) or not q or len(q.split()) <= 12)


def span_exercises(facts: list[Fact], utts: list[Utterance], starts: set[int], named: dict[int, set[str]]) -> list[Fact]:
    """An intervention cites the exercise it starts: the turns after it up to the next topic.

    ``starts`` are the lines where the therapist begins homework, a plan, a score or a
    medication talk, and ``named`` the techniques named on each line: the exercise ends
    before either (a safety plan's crisis-line step still belongs to the safety plan).
    """
    at = _index(utts)
    out = []
    for f in facts:
        i = at.get(f.lines[-1])
        if f.kind != "intervention" or i is None or utts[i].role != "therapist":
            out.append(f)
            continue
        lines = set(f.lines)
        for u in utts[i + 1:i + 1 + EXERCISE_SPAN]:
            own = {v.lower() for v in f.value.split("; ")}
            if u.line in starts and u.role == "therapist" and not ("safety" in f.value.lower() and SAFETY.search(u.text)):
                break
            if u.role == "therapist" and ((named.get(u.line, set()) - own) or not _continues_exercise(u)):
                break
            lines.add(u.line)
        out.append(f.model_copy(update={"lines": sorted(lines)}))
    return out


# kinds whose statements spread over an exchange (ratings across trials, a risk inquiry and its
# follow-ups) are gathered into one fact when they come within this many lines of each other
EPISODE_GAP = 6
WIDE_EPISODES = {"response": 12, "intervention": 8}
EPISODIC = frozenset({"mood", "risk", "response", "symptom", "progress", "intervention", "homework", "plan", "medication", "functional_impact"})


def episodes(facts: list[Fact]) -> list[Fact]:
    """Same-kind facts close together become one fact with all their values and lines."""
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
