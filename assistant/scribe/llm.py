"""LLM engine of the scribe: windowed fact extraction, then section writing, both as JSON."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.gateway import CallRecord, LLMGateway
from assistant.scribe.facts import Fact
from assistant.scribe.intake import Transcript
from assistant.scribe.render import NoteFormat, NoteTemplate, Section


class ExtractedFacts(BaseModel):
    """The model's facts for one window."""

    facts: list[Fact] = Field(default_factory=list)


class WrittenNote(BaseModel):
    """The model's sections."""

    sections: list[Section]


async def extract_facts_llm(
    gateway: LLMGateway, transcript: Transcript, window: int, records: list[CallRecord]
) -> list[Fact]:
    """Facts from each window of ``window`` utterances; facts citing lines outside the window are dropped."""
    facts: list[Fact] = []
    utts = transcript.utterances
    for start in range(0, len(utts), window):
        chunk = utts[start:start + window]
        lines = {u.line for u in chunk}
        result = await gateway.generate(
            "scribe_extract",
            {"utterances": [u.model_dump() for u in chunk], "first_line": chunk[0].line, "last_line": chunk[-1].line},
            ExtractedFacts,
        )
        records.append(result.record)
        facts += [f for f in result.value.facts if f.lines and set(f.lines) <= lines]
    return facts


async def write_sections_llm(
    gateway: LLMGateway, facts: list[Fact], fmt: NoteFormat, template: NoteTemplate, records: list[CallRecord]
) -> list[Section]:
    """Sections written by the model from the verified facts."""
    names = [s.name for s in template.formats[fmt]]
    result = await gateway.generate(
        "scribe_write",
        {"format": fmt, "sections": names, "style": template.style, "facts": [f.model_dump() for f in facts]},
        WrittenNote,
    )
    records.append(result.record)
    by_name = {s.name.lower(): s for s in result.value.sections}
    return [by_name.get(n.lower(), Section(name=n, sentences=[])) for n in names]
