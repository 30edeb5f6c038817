"""Request and response models of the co-pilot check (CLI ``parity check``, ``POST /v1/notes/check``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from assistant.copilot.code_checks import CodeCheck

Modality = Literal["individual", "family", "group"]
_CODE = r"^\d{5}$"


class CheckRequest(BaseModel):
    """A note and its claim context."""

    note: str = Field(description="Progress note text (UTF-8). Offsets in the answer index this text.")
    cpt: str = Field(pattern=_CODE, description="Primary CPT code (for 90833/90836/90838 the add-on itself).")
    addons: list[str] = Field(default_factory=list, description="Add-on and E/M codes on the same claim.")
    payer: str | None = Field(default=None, description="Payer id; the baseline pack applies without one.")
    minutes: int | None = Field(default=None, ge=0, le=720, description="Billed minutes; read from the note when absent.")
    date: dt.date | None = Field(default=None, description="Date of service (selects the rule-pack and policy versions).")
    modality: Modality | None = None
    pos: str | None = Field(default=None, pattern=r"^\d{2}$", description="Place of service, two digits.")
    modifiers: list[str] = Field(default_factory=list)
    transcript: str | None = Field(default=None, description="Session transcript; suggestions are filled only from it.")

    @field_validator("addons")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not code.isdigit() or len(code) != 5:
                raise ValueError(f"add-on code {code!r} is not a five-digit CPT code")
        return list(dict.fromkeys(value))

    @field_validator("modifiers")
    @classmethod
    def _modifiers(cls, value: list[str]) -> list[str]:
        out = [m.strip().upper() for m in value]
        for m in out:
            if len(m) != 2 or not m.isalnum():
                raise ValueError(f"modifier {m!r} is not a two-character modifier")
        return out

    @field_validator("payer")
    @classmethod
    def _payer(cls, value: str | None) -> str | None:
        return value.strip().lower() or None if value else None


class Evidence(BaseModel):
    """A quote of the note (offsets into the text the user sent)."""

    quote: str
    start: int
    end: int


class CitationOut(BaseModel):
    """The policy passage that asks for an element."""

    policy_id: str
    section: str
    chunk_id: str | None = None
    quote: str | None = None


class ChecklistItem(BaseModel):
    """One required element of the payer's checklist."""

    element: str
    label: str
    status: Literal["met", "partial", "missing"]
    evidence: list[Evidence] = Field(default_factory=list)
    citations: list[CitationOut] = Field(default_factory=list)
    suggestion: str | None = None
    reason: str = ""
    suggestion_sources: list[int] = Field(default_factory=list, description="Transcript line numbers the suggestion quotes.")


class RulePackRef(BaseModel):
    """The pack version that was applied."""

    id: str
    version: str


class Summary(BaseModel):
    """Counts by status."""

    met: int
    partial: int
    missing: int


class CheckResponse(BaseModel):
    """The checklist for a note."""

    payer: str | None
    cpt: str
    rule_pack: RulePackRef
    items: list[ChecklistItem]
    code_checks: list[CodeCheck]
    summary: Summary
    engine: Literal["offline", "llm"]
    elapsed_ms: float
