"""Suggestions that close a gap: one sentence for the clinician to confirm.

With a transcript, the sentence quotes what was said (and names the lines); without one,
it is the element's fill-in-the-blank template from the rule pack. A sentence never
states a clinical fact that is not in the sources: every suggestion is checked with
:func:`guardrails.grounding.ungrounded` before it is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.copilot.detect_clinical import SYMPTOM, TECHNIQUE
from assistant.copilot.detectors import DETECTORS
from assistant.copilot.rulepacks import ElementRule
from assistant.copilot.segments import NoteDoc, Segment
from guardrails.grounding import ungrounded

FACT_VOCABULARY = re.compile(SYMPTOM.pattern + "|" + TECHNIQUE.pattern, re.IGNORECASE)
_SPEAKER = re.compile(r"^\s*(?P<speaker>[A-Za-z][\w .'-]{0,30}?|\[[A-Z_]+\d*\])\s*:\s*(?P<text>.*)$")
_LEADS = {
    "symptoms_severity": "Symptoms",
    "functional_impairment": "Effect on daily functioning",
    "risk_assessment": "Risk screen",
    "interventions": "Interventions",
    "response_progress": "Response this session",
    "treatment_plan_goals": "Treatment goal",
    "continued_care_rationale": "Reason for continued care",
    "plan": "Plan",
    "diagnosis": "Diagnosis discussed",
}
_ROLES = {"t": "therapist", "therapist": "therapist", "clinician": "therapist", "counselor": "therapist",
          "c": "client", "client": "client", "patient": "client", "p": "client"}
CONFIRM = " (confirm before adding)"
_PROVENANCE = re.compile(r"\((?:client|therapist|participant),\s+transcript\s+lines?\s+[\d–-]+\)|\(confirm before adding\)")


def own_words(element: str, rule: ElementRule) -> list[str]:
    """Text Parity itself writes into a suggestion (template and lead), never a fact about the client."""
    return [rule.suggestion, _LEADS.get(element, "")]


def strip_provenance(text: str) -> str:
    """The suggestion without its line references (metadata, not clinical content)."""
    return _PROVENANCE.sub("", text)


@dataclass(frozen=True)
class Suggestion:
    """A sentence and the transcript lines it quotes."""

    text: str
    lines: list[int]
    quote: str | None = None


@dataclass
class Transcript:
    """Transcript utterances as segments, each tagged with its 1-based line number."""

    doc: NoteDoc
    raw: str


def parse_transcript(text: str) -> Transcript:
    """Number the non-empty lines; join a therapist question with the answer after it."""
    doc = NoteDoc(text=text)
    offset = 0
    previous: Segment | None = None
    number = 0
    for line in text.split("\n"):
        if line.strip():
            number += 1
            m = _SPEAKER.match(line)
            body_start = offset + (m.start("text") if m else len(line) - len(line.lstrip()))
            role = _ROLES.get(m.group("speaker").strip().lower(), "participant") if m else "participant"
            seg = Segment(body_start, offset + len(line.rstrip()), text[body_start:offset + len(line.rstrip())], role, number)
            doc.segments.append(seg)
            if previous is not None and previous.text.rstrip().endswith("?"):
                joined = f"{previous.text} {seg.text}"
                doc.segments.append(Segment(previous.start, seg.end, joined, "exchange", previous.line))
            previous = seg
        offset += len(line) + 1
    return Transcript(doc=doc, raw=text)


def _lines_of(seg: Segment, transcript: Transcript) -> list[int]:
    return sorted({s.line for s in transcript.doc.segments if s.start >= seg.start and s.end <= seg.end} | {seg.line})


def suggest(element: str, rule: ElementRule, options: dict[str, object], transcript: Transcript | None) -> Suggestion:
    """The suggestion for a missing or partial element."""
    template = Suggestion(rule.suggestion or f"{rule.label}: ___.", [])
    if transcript is None or element not in _LEADS:
        return template
    finding = DETECTORS[element](transcript.doc, dict(options))
    if finding.status == "missing" or not finding.segments:
        return template
    preference = {"client": 0, "exchange": 1, "participant": 2, "therapist": 3}
    seg = min(finding.segments, key=lambda s: (preference.get(s.section or "", 2), -len(s.text)))
    quote = " ".join(seg.text.split())
    lines = _lines_of(seg, transcript)
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}–{lines[-1]}"
    who = "client" if seg.section == "exchange" else seg.section or "participant"
    sentence = f"{_LEADS[element]}: “{quote}” ({who}, transcript {where}){CONFIRM}."
    if ungrounded(strip_provenance(sentence), [transcript.raw], FACT_VOCABULARY, allowed=[_LEADS[element]]):
        return template
    return Suggestion(sentence, lines, quote)
