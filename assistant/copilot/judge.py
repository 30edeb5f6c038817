"""Optional LLM layers (through the gateway, JSON output), used only when a model is configured.

* :class:`LLMJudge` gives a second opinion on borderline checklist items; its quote must be
  an exact substring of the note, or its verdict is ignored.
* :class:`LLMPhraser` rewrites a transcript-filled suggestion as a note sentence; the
  sentence is rejected when it holds any fact absent from the quoted words.

Both see de-identified text only.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.copilot.findings import Finding
from assistant.copilot.segments import NoteDoc
from assistant.copilot.suggestions import FACT_VOCABULARY, own_words
from assistant.gateway import CallRecord, LLMError, LLMGateway
from guardrails.grounding import ungrounded


class JudgeAnswer(BaseModel):
    """The model's verdict on one element."""

    status: Literal["met", "partial", "missing"]
    quote: str = Field(default="", max_length=2000)


class LLMJudge:
    """Second opinion on partial items and similarity-only findings."""

    def __init__(self, gateway: LLMGateway) -> None:
        """Bind the judge to a gateway; it stays idle on the offline engine."""
        self.gateway = gateway
        self.records: list[CallRecord] = []

    @property
    def enabled(self) -> bool:
        """Whether a model is configured."""
        return self.gateway.engine == "llm"

    def wants(self, finding: Finding) -> bool:
        """Borderline findings only: partial, or found by similarity alone."""
        return self.enabled and (finding.status == "partial" or finding.layer == "similarity")

    async def decide(self, element: str, rule: Any, doc: NoteDoc, finding: Finding) -> Finding:
        """The judge's verdict when it quotes the note exactly; otherwise the detectors' finding."""
        variables = {
            "label": rule.label,
            "description": rule.description,
            "rule_note": "; ".join(f"{k}={v}" for k, v in rule.options.items() if k != "modality") or "none",
            "candidates": [s.text for s in finding.segments] or ["(none found)"],
            "note": doc.text,
        }
        try:
            result = await self.gateway.generate("copilot_judge", variables, JudgeAnswer)
        except LLMError:
            return finding
        self.records.append(result.record)
        answer = result.value
        if answer.status == "missing":
            return Finding("missing", [], "model judged the element missing", "llm")
        quote = answer.quote.strip()
        hits = [s for s in doc.segments if quote and (quote in s.text or s.text in quote)]
        if not hits:
            return finding
        return Finding(answer.status, hits[:2], f"model judged the element {answer.status}", "llm")


class PhrasedSentence(BaseModel):
    """The model's sentence for the note."""

    sentence: str = Field(min_length=1, max_length=600)


class LLMPhraser:
    """Phrases grounded suggestions; keeps the quoted form when the model adds anything."""

    def __init__(self, gateway: LLMGateway) -> None:
        """Bind the phraser to a gateway."""
        self.gateway = gateway
        self.records: list[CallRecord] = []
        self.rejected = 0

    async def phrase(self, element: str, rule: Any, quotes: list[str]) -> str | None:
        """A note sentence built only from ``quotes``, or ``None`` (keep the offline suggestion)."""
        if self.gateway.engine != "llm" or not quotes:
            return None
        try:
            result = await self.gateway.generate("copilot_suggest", {"label": rule.label, "quotes": quotes}, PhrasedSentence)
        except LLMError:
            return None
        self.records.append(result.record)
        sentence = " ".join(result.value.sentence.split())
        if ungrounded(sentence, quotes, FACT_VOCABULARY, allowed=[*own_words(element, rule), "client reports"]):
            self.rejected += 1
            return None
        return sentence + " (confirm before adding)"
