"""De-identification as a Parity capability: request/response models and the service call."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.inputs import check_text
from assistant.runtime import Runtime


class DeidentifyRequest(BaseModel):
    """``POST /v1/deidentify`` body."""

    text: str = Field(description="Text to de-identify (UTF-8).")
    case_id: str | None = Field(
        default=None,
        max_length=200,
        description="Keep placeholders consistent with earlier texts of this case and store the map in the vault.",
    )
    date_shift_days: int | None = Field(
        default=None, ge=-3650, le=3650, description="Shift full dates by this many days instead of [DATE_n]."
    )


class EntityOut(BaseModel):
    """One replaced span (offsets into the input text)."""

    type: str
    start: int
    end: int
    placeholder: str
    score: float


class DeidentifyResponse(BaseModel):
    """Pseudonymized text and the entities replaced."""

    text: str
    entities: list[EntityOut]


class FindingOut(BaseModel):
    """PHI found by the scanner (offsets only, never the value)."""

    type: str
    start: int
    end: int
    score: float


class ScanResponse(BaseModel):
    """``parity deid --scan`` result."""

    findings: list[FindingOut]


def deidentify_text(runtime: Runtime, request: DeidentifyRequest) -> DeidentifyResponse:
    """De-identify ``request.text``; with a case id, merge into the case's vault entry."""
    text = check_text(request.text, "text", runtime.settings.max_input_bytes)
    case_map = runtime.vault.load(request.case_id) if request.case_id else None
    result = runtime.deidentifier.deidentify(text, case_map, request.date_shift_days)
    if request.case_id:
        runtime.vault.save(request.case_id, result.case_map)
    return DeidentifyResponse(
        text=result.text,
        entities=[
            EntityOut(type=e.type, start=e.start, end=e.end, placeholder=e.placeholder or "", score=e.score)
            for e in result.entities
        ],
    )


def scan_text(runtime: Runtime, text: str) -> ScanResponse:
    """Scan outgoing text for identifiers."""
    from guardrails.scanner import scan

    text = check_text(text, "text", runtime.settings.max_input_bytes)
    return ScanResponse(
        findings=[FindingOut(**f.model_dump()) for f in scan(text, runtime.deidentifier)]
    )
