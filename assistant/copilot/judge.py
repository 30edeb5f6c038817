"""Optional LLM judge for borderline checklist items (through the gateway, JSON output).

Used only when a model is configured. The judge sees de-identified text; its quote must
be an exact substring of the note, or its verdict is ignored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.copilot.findings import Finding
from assistant.copilot.segments import NoteDoc
from assistant.gateway import CallRecord, LLMError, LLMGateway


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
