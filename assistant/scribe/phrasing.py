"""Note sentences from gathered facts: one sentence per statement, a short answer with its question.

A fact's value gathers the statements of one exchange ("Two.; Heart pounding, …"), which is
what the fact needs for its citations but not how a note reads. Here each statement of a
value is traced back to the transcript clause it came from, and written as its own sentence
citing that line: a statement that leans on the therapist's question ("Two.", "Mostly,
yeah.") is written with the question and the answer quoted word for word; a technique's
name goes in the list of interventions; a therapist's spoken step is quoted. A statement
already written earlier in the note is not repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.scribe.gather import Fact
from assistant.scribe.intake import Utterance
from assistant.scribe.lexicon import CLAUSE, clause_with, sentences, therapist_voice, third_person, voiced
from assistant.scribe.reports import COLLATERAL
from assistant.scribe.threads import ELLIPTICAL, RATING_PROMPT, answer_clause, last_question

# kinds whose value is a "; "-joined list of statements (a risk value holds "; " inside one statement)
SPLIT_KINDS = frozenset({
    "symptom", "functional_impact", "mood", "response", "progress", "intervention", "homework", "plan",
    "next_appointment", "medication",
})
ANSWER_WORDS = 45  # a quoted answer is cut after the sentence that passes this many words
_NAME = re.compile(r"^[\w'’/ -]+$")
# a closing request that an answer completes ("Rate your anxiety, zero to ten.", "Tell me the number.")
REQUEST = re.compile(
    r"^\W*(?:(?:and|so|okay|now|then)[,.]?\s+)*(?:rate|tell|give|say|describe|name|rank|score|pick|list|walk)\b|"
    r"\b(?:zero\s+to\s+(?:ten|a\s+hundred|100)|0\s*(?:-|to)\s*(?:10|100)|on\s+a\s+scale)\b",
    re.IGNORECASE,
)
# a statement with its own subject stands alone ("they're nervous", "my chest feels tight")
_OWN_SUBJECT = re.compile(r"^\W*(?:they|they're|they've|their|i|i'm|i've|my|he|she|we|it's|the|that|this)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """One statement of a fact's value and where it was said."""

    text: str
    lines: list[int]
    source: Utterance | None = None
    question: Utterance | None = None
    said: str = ""
    """The clause of ``source`` the statement was made from, word for word."""

    @property
    def key(self) -> str:
        """What makes two statements the same (their words, or the answer they quote)."""
        if self.question is not None and self.source is not None:
            return f"answer:{self.source.line}"
        return " ".join(self.text.lower().split()).strip(".;,:!? ")


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).strip(".;,:!?… ")


class Phraser:
    """Traces statements to their transcript clauses."""

    def __init__(self, utterances: list[Utterance]) -> None:
        """Index the (de-identified) utterances by line."""
        self.utts = utterances
        self.at = {u.line: i for i, u in enumerate(utterances)}
        self._cache: dict[int, dict[str, str]] = {}

    def _forms(self, u: Utterance) -> dict[str, str]:
        """Every way a clause of ``u`` can appear in a fact value, and the clause as said."""
        if u.line not in self._cache:
            self._cache[u.line] = self._all_forms(u)
        return self._cache[u.line]

    @staticmethod
    def _all_forms(u: Utterance) -> dict[str, str]:
        forms: dict[str, str] = {_norm(answer_clause(u)): clause_with(u.text, 0)}
        for m in CLAUSE.finditer(u.text):
            if not m.group(0).strip():
                continue
            clause = clause_with(u.text, m.start())
            for form in (clause, voiced(clause, u.role), third_person(clause), therapist_voice(clause)):
                forms.setdefault(_norm(form), clause)
        return forms

    def statements(self, fact: Fact) -> list[Statement]:
        """The statements of ``fact``, each with its source line when it can be traced.

        A statement of another participant (a parent's report) loses its "according to"
        mark here: the sentence names the speaker instead.
        """
        parts = fact.value.split("; ") if fact.kind in SPLIT_KINDS else [fact.value]
        parts = [p.removeprefix(COLLATERAL) for p in parts]
        cited = [self.utts[self.at[n]] for n in fact.lines if n in self.at]
        out = []
        for part in parts:
            if not part.strip():
                continue
            key = _norm(part)
            traced = next(((u, forms[key]) for u in cited if key and key in (forms := self._forms(u))), None)
            if traced is None:
                out.append(Statement(text=part, lines=sorted(set(fact.lines))))
                continue
            source, said = traced
            question = self._question_for(source, part)
            lines = sorted({source.line, *([question.line] if question else [])})
            out.append(Statement(text=part, lines=lines, source=source, question=question, said=said))
        return out

    def _question_for(self, answer: Utterance, part: str) -> Utterance | None:
        """The therapist's question an elliptical answer leans on (the turn right before it)."""
        i = self.at[answer.line]
        if answer.role == "therapist" or i == 0 or not leans_on_question(part):
            return None
        before = self.utts[i - 1]
        return before if before.role == "therapist" and prompt_of(before) else None


def prompt_of(turn: Utterance) -> str:
    """What a therapist turn asks: its closing question, or a short closing request ("Rate it, zero to ten.")."""
    question = last_question(turn.text)
    if question:
        return question
    said = sentences(turn.text)
    last = said[-1] if said else ""
    return last if last and len(last.split()) <= 15 and (RATING_PROMPT.search(last) or REQUEST.search(last)) else ""


def leans_on_question(part: str) -> bool:
    """Whether a statement needs its question to make sense ("Two.", "Mostly, yeah.", "I did.")."""
    return bool(ELLIPTICAL.search(part)) or (len(part.split()) <= 4 and not _OWN_SUBJECT.search(part))


def quoted_answer(answer: Utterance) -> str:
    """The answer word for word, cut after the sentence that passes ``ANSWER_WORDS`` words."""
    out, count = [], 0
    for sentence in sentences(answer.text):
        out.append(sentence)
        count += len(sentence.split())
        if count >= ANSWER_WORDS:
            break
    return " ".join(out).replace('"', "'")


def speaker_name(u: Utterance) -> str:
    """How the note names the speaker of an answer."""
    return "the client" if u.role == "client" else u.speaker


def is_name(text: str) -> bool:
    """Whether an intervention statement is a technique's name rather than a spoken step."""
    return len(text.split()) <= 5 and bool(_NAME.fullmatch(text.strip()))
