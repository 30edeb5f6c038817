"""Render facts into a note in the chosen format; every sentence keeps its support lines."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from assistant.scribe.facts import Fact
from assistant.scribe.intake import Utterance
from assistant.scribe.phrasing import Phraser, Statement, is_name, prompt_of, quoted_answer, speaker_name

NoteFormat = Literal["SOAP", "DAP", "BIRP", "GIRP"]
DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates" / "default.yaml"


class SectionSpec(BaseModel):
    """A section and the fact kinds it holds."""

    name: str
    kinds: list[str]


class NoteTemplate(BaseModel):
    """A practice's headings, section order, phrasing and style."""

    style: Literal["prose", "bullets"] = "prose"
    phrasing: dict[str, str]
    formats: dict[str, list[SectionSpec]]


class Sentence(BaseModel):
    """A sentence of the draft and the transcript lines that support it."""

    text: str
    support: list[int] = Field(default_factory=list)


class Section(BaseModel):
    """A section of the draft."""

    name: str
    sentences: list[Sentence]


@lru_cache(maxsize=8)
def load_template(path: Path = DEFAULT_TEMPLATE) -> NoteTemplate:
    """Load and validate a practice template."""
    return NoteTemplate.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _clean(value: str, label: str = "") -> str:
    value = " ".join(value.split()).strip()
    if label and value.lower().startswith(label.lower() + ":"):
        value = value[len(label) + 1:].strip()  # "Plan: plan: …" → "Plan: …"
    return value.rstrip(".;,:!? ")


def _phrase(template: NoteTemplate, key: str) -> str:
    """A phrasing of the practice template, else of the default one (older templates lack the newer keys)."""
    return template.phrasing.get(key) or load_template().phrasing[key]


def _capital(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def _answer(s: Statement, template: NoteTemplate) -> Sentence:
    assert s.source is not None and s.question is not None
    text = _phrase(template, "answer").format(
        question=prompt_of(s.question).replace('"', "'"), speaker=speaker_name(s.source),
        answer=quoted_answer(s.source),
    )
    return Sentence(text=_capital(text), support=s.lines)


def sentences_for(kind: str, facts: list[Fact], template: NoteTemplate, phraser: Phraser | None = None,
                  said: set[str] | None = None) -> list[Sentence]:
    """Sentences for the facts of one kind: one per statement, none said twice in the note.

    With a ``phraser`` (the session's utterances) each statement cites its own line, a short
    answer is written with its question, and a therapist's spoken step is quoted; without
    one, each fact is one sentence citing all its lines.
    """
    said = set() if said is None else said
    phrase = template.phrasing.get(kind, "{value}.")
    label = phrase.split(":", 1)[0] if ":" in phrase else ""
    if phraser is None:
        statements = [Statement(text=f.value, lines=sorted(set(f.lines))) for f in facts]
    else:
        statements = [s for f in facts for s in phraser.statements(f)]
    fresh = []
    for s in statements:
        whole = f"quoted:{s.source.line}" if s.source is not None else ""
        if s.key in said or whole in said or not _clean(s.text, label):
            continue  # said already, or its whole turn was quoted with its question
        said.add(s.key)
        if s.question is not None and s.source is not None and quoted_answer(s.source) == s.source.text.strip().replace('"', "'"):
            said.add(whole)
        fresh.append(s)
    out = []
    if "{values}" in phrase:
        names = [s for s in fresh if phraser is None or is_name(s.text)]
        if names:
            values = ", ".join(dict.fromkeys(_clean(s.text) for s in names))
            out.append(Sentence(text=phrase.format(values=values), support=sorted({n for s in names for n in s.lines})))
        for s in fresh:
            if s not in names and s.said:
                text = _phrase(template, "intervention_quote").format(quote=s.said.replace('"', "'").strip())
                out.append(Sentence(text=text, support=s.lines))
        return out
    for s in fresh:
        if s.question is not None:
            out.append(_answer(s, template))
        elif s.source is not None and s.source.role == "other":
            text = _phrase(template, "collateral").format(
                speaker=s.source.speaker, kind=kind.replace("_", " "), value=_clean(s.text).replace('"', "'"))
            out.append(Sentence(text=text, support=s.lines))
        else:
            value = _clean(s.text, label)
            before = phrase.split("{value}", 1)[0]
            if before and not before.endswith(": ") and len(value) > 1 and value[1].islower() and value.split()[0] != "I":
                value = value[0].lower() + value[1:]  # mid-sentence: "Client reported: tight chest."
            out.append(Sentence(text=_capital(phrase.format(value=value)), support=s.lines))
    return out


def render_sections(facts: list[Fact], fmt: NoteFormat, template: NoteTemplate, minutes: int | None,
                    span: tuple[int, int] | None, utterances: list[Utterance] | None = None) -> list[Section]:
    """Sections in the format's order; each fact kind lands in its first section.

    ``utterances`` (the de-identified session) let each statement cite its own line and a
    short answer be written with its question.
    """
    placed: set[str] = set()
    said: set[str] = set()
    phraser = Phraser(utterances) if utterances else None
    sections = []
    extra = {"session_time": [Fact(kind="participants", value=str(minutes), lines=list(span))]} if minutes and span else {}
    for spec in template.formats[fmt]:
        sentences: list[Sentence] = []
        for kind in spec.kinds:
            if kind in placed:
                continue
            placed.add(kind)
            if kind in extra:
                sentences.extend(sentences_for(kind, extra[kind], template))
                continue
            kind_facts = [f for f in facts if f.kind == kind]
            sentences.extend(sentences_for(kind, kind_facts, template, phraser, said))
        sections.append(Section(name=spec.name, sentences=sentences))
    return sections


def render_text(sections: list[Section], fmt: NoteFormat, template: NoteTemplate) -> str:
    """The note as text: headings, then prose or bullets."""
    parts = [f"{fmt} progress note (draft — for clinician review)"]
    for section in sections:
        if template.style == "bullets":
            body = "\n".join(f"- {s.text}" for s in section.sentences) or "- (nothing documented in the transcript)"
        else:
            body = " ".join(s.text for s in section.sentences) or "(nothing documented in the transcript)"
        parts.append(f"{section.name}: {body}")
    return "\n\n".join(parts)
