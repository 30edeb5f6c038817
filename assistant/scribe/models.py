"""Request and response models of ``parity draft`` / ``POST /v1/notes/draft``."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.copilot.models import CheckResponse
from assistant.scribe.facts import Fact
from assistant.scribe.intake import InputFormat, Role
from assistant.scribe.render import NoteFormat, Section


class DraftRequest(BaseModel):
    """A transcript and how to draft from it."""

    transcript: str = Field(description="Transcript: plain text with speaker labels, WebVTT, SRT or JSON.")
    input_format: InputFormat | None = Field(default=None, description="Detected from the content when absent.")
    roles: dict[str, Role] = Field(default_factory=dict, description="Speaker label → therapist / client / other.")
    format: NoteFormat | None = Field(default=None, description="SOAP, DAP, BIRP or GIRP (practice default when absent).")
    cpt: str | None = Field(default=None, pattern=r"^\d{5}$", description="Check the draft against this code's checklist.")
    addons: list[str] = Field(default_factory=list)
    payer: str | None = None
    minutes: int | None = Field(default=None, ge=0, le=720)
    date: dt.date | None = None
    modality: Literal["individual", "family", "group"] | None = None
    pos: str | None = Field(default=None, pattern=r"^\d{2}$")
    modifiers: list[str] = Field(default_factory=list)


class Unsupported(BaseModel):
    """A sentence the verifier removed."""

    text: str
    reason: str


class DraftResponse(BaseModel):
    """The pseudonymized draft, its facts and what was removed."""

    format: NoteFormat
    sections: list[Section]
    text: str
    facts: list[Fact]
    unsupported: list[Unsupported]
    check: CheckResponse | None
    engine: Literal["offline", "llm"]
    calls: list[dict[str, Any]] = Field(default_factory=list, description="Model calls (prompt, version, sha256, model, tokens).")
    minutes: int | None = Field(default=None, description="Session minutes from the transcript's timestamps.")
    lines: int = Field(description="Number of transcript lines (utterances).")
    phi_findings: int = Field(default=0, description="Identifiers the final PHI re-scan found and redacted.")
