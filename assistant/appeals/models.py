"""Denials, classifications, criteria, evidence and letters (the appeals contracts)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

Bucket = Literal[
    "medical_necessity", "documentation", "authorization", "benefit_limit", "not_covered", "coding", "telehealth",
    "credentialing", "eligibility", "timely_filing", "duplicate", "contractual",
]
Action = Literal["appeal", "corrected_claim", "enrollment_fix", "patient_responsibility", "write_off"]


class Adjustment(BaseModel):
    """One claim adjustment (CAS): group code, CARC, amount."""

    group: str | None = None
    carc: str
    amount: float | None = None


class ServiceLine(BaseModel):
    """One billed service of the claim."""

    cpt: str
    modifiers: list[str] = Field(default_factory=list)
    units: float = 1
    billed: float | None = None
    paid: float | None = None
    date_of_service: dt.date | None = None
    adjustments: list[Adjustment] = Field(default_factory=list)
    rarc: list[str] = Field(default_factory=list)


class Denial(BaseModel):
    """A denied claim, from an 835 remittance, an EOB or a letter (pseudonymized fields)."""

    source: Literal["835", "eob", "letter"]
    payer: str | None = None
    claim_id: str | None = None
    member_id: str | None = None
    patient: str | None = None
    dates_of_service: list[dt.date] = Field(default_factory=list)
    cpt: list[str] = Field(default_factory=list)
    units: list[float] = Field(default_factory=list)
    billed: float | None = None
    paid: float | None = None
    denied: float | None = Field(default=None, description="Amount the document says was denied, when it says so.")
    group: str | None = None
    carc: list[str] = Field(default_factory=list)
    rarc: list[str] = Field(default_factory=list)
    denial_date: dt.date | None = None
    reason_text: str = ""
    place_of_service: str | None = None
    modifiers: list[str] = Field(default_factory=list)
    lines: list[ServiceLine] = Field(default_factory=list)

    @property
    def amount_denied(self) -> float:
        """The denied amount as stated, else billed minus paid (what the appeal is about)."""
        if self.denied is not None:
            return round(self.denied, 2)
        return round((self.billed or 0.0) - (self.paid or 0.0), 2)


class Classification(BaseModel):
    """``parity appeal classify`` result."""

    denial: Denial
    root_cause: Bucket
    appealable: bool
    action: Action
    routes: list[str]
    deadline: dt.date | None
    level: str | None
    basis: str = Field(default="", description="Why this bucket: the codes or the words that decided it.")
    deadline_source: str | None = None


class PolicyRef(BaseModel):
    """The policy passage a criterion comes from."""

    policy_id: str
    section: str
    version: str | None = None
    chunk_id: str | None = None
    quote: str | None = None


class EvidenceQuote(BaseModel):
    """A verbatim quote from the record, with its source document and date."""

    quote: str
    source: str
    date: dt.date | None = None


class Criterion(BaseModel):
    """One of the payer's criteria and the record's answer to it."""

    criterion: str
    element: str
    policy: PolicyRef | None = None
    evidence: list[EvidenceQuote] = Field(default_factory=list)
    met: bool


class AppealDraft(BaseModel):
    """``parity appeal draft`` result."""

    denial: Denial
    root_cause: Bucket
    classification: Classification
    criteria: list[Criterion]
    letter_markdown: str
    citations: list[PolicyRef]
    warnings: list[str]
    engine: Literal["offline", "llm"]
    ready: bool = Field(description="False when the citation verifier found a problem; the letter must not be sent.")
    verification: list[str] = Field(default_factory=list, description="Citation problems found.")
    files: dict[str, str] = Field(default_factory=dict, description="Written files (markdown, html, pdf, evidence).")
    calls: list[dict[str, object]] = Field(default_factory=list, description="Model calls (prompt, version, sha256, model, tokens).")
