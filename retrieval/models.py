"""Policy documents, sections, chunks and search results."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field, field_validator, model_validator

CPT_RE = re.compile(r"^\d{4}[0-9A-Z]$")


class PolicyMeta(BaseModel):
    """Front matter of one policy version."""

    payer: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    plan: str | None = None
    policy_id: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=1, max_length=300)
    version: str = Field(min_length=1, max_length=50)
    effective_from: dt.date
    effective_to: dt.date | None = None
    codes: list[str] = Field(default_factory=list)
    state: str | None = None
    source: str | None = None
    tenant: str = Field(
        default="public", description="Practice owning the policy; 'public' = every practice."
    )

    @field_validator("payer", mode="before")
    @classmethod
    def _normalise_payer(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("version", "policy_id", mode="before")
    @classmethod
    def _stringify(cls, value: object) -> object:
        return str(value) if isinstance(value, (int, float)) else value

    @field_validator("codes", mode="before")
    @classmethod
    def _codes(cls, value: object) -> object:
        if isinstance(value, str):
            value = [c for c in re.split(r"[,\s]+", value) if c]
        if isinstance(value, list):
            value = [str(c).strip().upper() for c in value]
            bad = [c for c in value if not CPT_RE.match(c)]
            if bad:
                raise ValueError(f"not CPT/HCPCS codes: {bad}")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> PolicyMeta:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def in_force(self, day: dt.date) -> bool:
        """Whether this version applies on ``day``."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class Section(BaseModel):
    """A heading of the document and the text under it."""

    number: str | None = Field(description="Section number as written, e.g. '3.2'.")
    title: str
    path: list[str] = Field(description="Titles of the enclosing headings, outermost first.")
    text: str
    page: int | None = None


class Chunk(BaseModel):
    """One indexed passage."""

    chunk_id: str
    meta: PolicyMeta
    section: str = Field(description="Section number, or title when the heading has no number.")
    section_path: list[str]
    page: int | None
    part: int = 0
    text: str


class SearchResult(BaseModel):
    """One hit of ``parity policies search``."""

    chunk_id: str
    policy_id: str
    payer: str
    title: str
    version: str
    section: str
    section_path: list[str] = Field(default_factory=list)
    page: int | None
    part: int = Field(default=0, exclude=True, description="Position of this passage within its section (not serialized).")
    text: str
    score: float
    effective_from: dt.date
    effective_to: dt.date | None
