"""Render facts into a note in the chosen format; every sentence keeps its support lines."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from assistant.scribe.facts import Fact

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


def sentences_for(kind: str, facts: list[Fact], template: NoteTemplate) -> list[Sentence]:
    """Sentences for the facts of one kind (interventions are listed in one sentence)."""
    phrase = template.phrasing.get(kind, "{value}.")
    if "{values}" in phrase:
        names = list(dict.fromkeys(_clean(f.value) for f in facts))
        lines = sorted({n for f in facts for n in f.lines})
        return [Sentence(text=phrase.format(values=", ".join(names)), support=lines)] if facts else []
    label = phrase.split(":", 1)[0] if ":" in phrase else ""
    out = []
    for f in facts:
        text = phrase.format(value=_clean(f.value, label))
        out.append(Sentence(text=text[0].upper() + text[1:], support=sorted(set(f.lines))))
    return out


def render_sections(facts: list[Fact], fmt: NoteFormat, template: NoteTemplate, minutes: int | None,
                    span: tuple[int, int] | None) -> list[Section]:
    """Sections in the format's order; each fact kind lands in its first section."""
    placed: set[str] = set()
    said: set[str] = set()
    sections = []
    extra = {"session_time": [Fact(kind="participants", value=str(minutes), lines=list(span))]} if minutes and span else {}
    for spec in template.formats[fmt]:
        sentences: list[Sentence] = []
        for kind in spec.kinds:
            if kind in placed:
                continue
            placed.add(kind)
            kind_facts = extra.get(kind) or [f for f in facts if f.kind == kind and _clean(f.value).lower() not in said]
            said.update(_clean(f.value).lower() for f in kind_facts)
            sentences.extend(sentences_for(kind, kind_facts, template))
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
