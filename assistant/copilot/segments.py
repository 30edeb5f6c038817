"""Split a note into labelled sentences and clauses with character offsets.

Notes come as SOAP / DAP / BIRP / GIRP or free text. Every segment keeps its offsets into
the text it came from and the note section it sits in (``plan``, ``response`` …), so a
detector can read "P: continue" as a plan and quote exactly what the clinician wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# section headers, by the words clinicians use; single letters follow the note's format
_HEADER_WORDS = {
    "subjective": "subjective", "objective": "objective", "assessment": "assessment", "plan": "plan",
    "data": "data", "behavior": "behavior", "behaviour": "behavior", "intervention": "intervention",
    "interventions": "intervention", "response": "response", "goal": "goal", "goals": "goal",
    "risk": "risk", "risk assessment": "risk", "safety": "risk", "diagnosis": "diagnosis", "dx": "diagnosis",
    "diagnoses": "diagnosis", "mse": "mse", "mental status": "mse", "progress": "response",
    "next session": "plan", "homework": "plan", "time": "time", "participants": "participants",
    "present": "participants", "attendees": "participants", "modality": "participants",
    "signature": "signature", "signed": "signature", "rationale": "rationale",
    "medical necessity": "rationale", "continued care": "rationale", "treatment plan": "goal",
}
_LETTERS = {"S": "subjective", "O": "objective", "A": "assessment", "P": "plan", "D": "data",
            "B": "behavior", "I": "intervention", "R": "response", "G": "goal"}
_FORMAT_SECTIONS = {"subjective", "objective", "assessment", "plan", "data", "behavior", "intervention", "response"}
_HEADER = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z /&-]{0,28}?)\s*(?:\d+\s*)?[:]\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')\]]?\s+(?=[\"“(\[]?[A-Z0-9\[])")
_ABBREV = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|vs|e\.g|i\.e|approx|min|hrs|wk|wks|St|No)\.$", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    """A sentence or clause of the note."""

    start: int
    end: int
    text: str
    section: str | None
    line: int


@dataclass
class NoteDoc:
    """A note split into segments."""

    text: str
    segments: list[Segment] = field(default_factory=list)
    memo: dict[str, object] = field(default_factory=dict)

    def in_section(self, *names: str) -> list[Segment]:
        """Segments under any of the named sections."""
        return [s for s in self.segments if s.section in names]

    def search(self, pattern: re.Pattern[str]) -> list[tuple[Segment, re.Match[str]]]:
        """Segments with their first match of ``pattern``."""
        out = []
        for seg in self.segments:
            m = pattern.search(seg.text)
            if m:
                out.append((seg, m))
        return out


def _section_of(label: str, letter_ok: bool) -> str | None:
    key = label.strip().lower()
    if key in _HEADER_WORDS:
        return _HEADER_WORDS[key]
    if letter_ok and label.strip() in _LETTERS:
        return _LETTERS[label.strip()]
    return None


def _split_line(line: str) -> list[tuple[int, int]]:
    pieces = []
    start = 0
    for m in _SENTENCE_END.finditer(line):
        if _ABBREV.search(line[start:m.start() + 1]):
            continue
        pieces.append((start, m.start() + (1 if line[m.start()] in "\"”')]" else 0)))
        start = m.end()
    pieces.append((start, len(line)))
    return [(a, b) for a, b in pieces if line[a:b].strip()]


_CONTINUES = re.compile(r"[^.!?:;)\]”\"]\s*$")
_STARTS_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)]|[A-Za-z][A-Za-z /&-]{0,28}?\s*(?:\d+\s*)?:)")


def logical_lines(text: str) -> list[tuple[int, str, int]]:
    """Physical lines joined where a sentence wraps onto the next line: (offset, text, first line number).

    The joined text replaces each wrapping newline with a space, so offsets into it are
    offsets into ``text``.
    """
    out: list[tuple[int, str, int]] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        prev = out[-1] if out else None
        wraps = (
            prev is not None and prev[1].strip() and line.strip() and _CONTINUES.search(prev[1])
            and not _STARTS_ITEM.match(line) and prev[0] + len(prev[1]) + 1 == offset
            and len(prev[1].strip()) > 40
        )
        if wraps and prev is not None:
            out[-1] = (prev[0], prev[1] + " " + line, prev[2])
        else:
            out.append((offset, line, number))
        offset += len(line) + 1
    return out


def segment_note(text: str) -> NoteDoc:
    """Split ``text`` into segments; offsets index ``text``."""
    doc = NoteDoc(text=text)
    section: str | None = None
    for offset, line, number in logical_lines(text):
        body_start = 0
        m = _HEADER.match(line)
        line_section = None
        if m:
            named = _section_of(m.group("label"), letter_ok=True)
            if named:
                body_start = m.end()
                # a letter ("P:") or a heading on its own line opens a section; "Goal: …" labels its own line
                if len(m.group("label").strip()) == 1 or not line[body_start:].strip() or named in _FORMAT_SECTIONS:
                    section = named
                else:
                    line_section = named
        for a, b in _split_line(line[body_start:]):
            raw = line[body_start + a: body_start + b]
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw.rstrip())
            start = offset + body_start + a + lead
            end = offset + body_start + a + trail
            # an inline label ("Risk: denies SI") names the segment's own topic
            inner = _HEADER.match(raw.strip())
            seg_section = _section_of(inner.group("label"), letter_ok=False) if inner else None
            doc.segments.append(Segment(start, end, text[start:end], seg_section or line_section or section, number))
    return doc
