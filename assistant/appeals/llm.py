"""LLM engine for appeal letters: prose from the same evidence, pseudonymized in, verified out.

The model sees placeholders for the patient, claim and member ids and de-identified quotes;
its letter is re-identified, then must pass the same citation verifier as the offline letter.
A letter that fails is not used: the structured offline letter is returned with a warning.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from assistant.appeals.letter import argued, cite, needs_parity
from assistant.appeals.models import Classification, Criterion
from assistant.gateway import CallRecord, LLMError, LLMGateway
from guardrails.pseudonymize import CaseMap


class WrittenLetter(BaseModel):
    """The model's letter."""

    letter_markdown: str = Field(min_length=50, max_length=40_000)


async def write_letter_llm(
    gateway: LLMGateway, classification: Classification, criteria: list[Criterion], deidentifier: Any,
    records: list[CallRecord],
) -> str | None:
    """The model's letter, re-identified; ``None`` when the model fails."""
    denial = classification.denial
    case_map = CaseMap()
    fixed = {"[PATIENT_ID]": denial.patient or "", "[CLAIM_ID]": denial.claim_id or "", "[MEMBER_ID]": denial.member_id or ""}

    def clean(text: str) -> str:
        return str(deidentifier.deidentify(text, case_map=case_map).text)

    shown = argued(criteria)
    variables = {
        "claim": "[CLAIM_ID]", "member": "[MEMBER_ID]", "patient": "[PATIENT_ID]",
        "dates": ", ".join(d.isoformat() for d in denial.dates_of_service) or "unknown",
        "cpt": ", ".join(denial.cpt) or "unknown", "denial_date": denial.denial_date or "unknown",
        "codes": ", ".join([*(f"CARC {c}" for c in denial.carc), *(f"RARC {r}" for r in denial.rarc)]) or "none",
        "reason": clean(denial.reason_text) or "not stated", "root_cause": classification.root_cause,
        "level": classification.level or "first-level appeal", "parity": needs_parity(classification, criteria),
        "criteria": [
            {"criterion": c.criterion, "policy_ref": cite(c.policy) if c.policy else "none",
             "policy_quote": c.policy.quote if c.policy and c.policy.quote else "none",
             "evidence": [f"“{clean(e.quote)}” ({e.source}, dated {e.date.isoformat() if e.date else 'undated'})" for e in c.evidence]}
            for c in shown
        ],
    }
    try:
        result = await gateway.generate("appeal_letter", variables, WrittenLetter)
    except LLMError:
        return None
    records.append(result.record)
    letter = result.value.letter_markdown
    for placeholder, original in {**fixed, **case_map.originals}.items():
        letter = letter.replace(placeholder, original)
    return letter
