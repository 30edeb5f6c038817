"""The entity record shared by the analyzer, the pseudonymizer and the scanner."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Entity(BaseModel):
    """One PHI span: offsets into the analyzed text, never the value itself."""

    type: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    score: float
    placeholder: str | None = None
