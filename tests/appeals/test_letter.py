"""Offline appeal letter: content, parity paragraph, HTML and PDF renderings."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest
from pypdf import PdfReader

from assistant.appeals import letter as letter_module
from assistant.appeals.letter import letter_to_html, letter_to_pdf, write_letter
from assistant.appeals.models import Classification, Criterion, Denial, EvidenceQuote, PolicyRef
from guardrails.citations import policy_citations, verify_policy_citations, verify_quotes

NOTE = "Progress note 2025-01-14"
PLAN = "Treatment plan"
SOURCES = {
    NOTE: 'Patient reports panic attacks 3x/week; PHQ-9 = 17. Patient said "I can’t drive to work anymore."\n'
    "Missed four days of work this month due to panic symptoms.",
    PLAN: "Goal 1: reduce panic attacks to\n 1/week within 12 weeks, measured by weekly log.",
}
POLICY_TEXT = {
    (
        "BH-OP-12",
        "4.2",
        "2024-01",
    ): "4.2 Severity. Documentation of current symptoms with severity or frequency. Other text.",
    ("BH-OP-12", "4.3", "2024-01"): "4.3 Function. The condition impairs work, school or relationships.",
    ("BH-OP-12", "4.5", "2024-01"): "4.5 Treatment plan. An individualized plan with measurable goals.",
}


def _denial() -> Denial:
    return Denial(
        source="835",
        payer="Acme Health",
        claim_id="CLM-77120",
        member_id="M-4411",
        patient="[PATIENT_1]",
        dates_of_service=[dt.date(2025, 1, 14)],
        cpt=["90837"],
        billed=180.0,
        paid=0.0,
        group="CO",
        carc=["50"],
        rarc=["N115"],
        denial_date=dt.date(2025, 2, 3),
        reason_text="Not medically necessary.",
    )


def _classification(root: str = "medical_necessity") -> Classification:
    return Classification(
        denial=_denial(),
        root_cause=root,
        appealable=True,
        action="appeal",
        routes=["clinical_liaison"],  # type: ignore[arg-type]
        deadline=dt.date(2025, 8, 2),
        level="first-level appeal",
    )


def _criteria() -> list[Criterion]:
    return [
        Criterion(
            criterion="Current symptoms with severity",
            element="symptoms_severity",
            met=True,
            policy=PolicyRef(
                policy_id="BH-OP-12",
                section="4.2",
                version="2024-01",
                quote="Documentation of current symptoms with severity or frequency.",
            ),
            evidence=[
                EvidenceQuote(
                    quote="panic attacks 3x/week; PHQ-9 = 17", source=NOTE, date=dt.date(2025, 1, 14)
                ),
                EvidenceQuote(
                    quote='Patient said "I can’t drive to work anymore."',
                    source=NOTE,
                    date=dt.date(2025, 1, 14),
                ),
            ],
        ),
        Criterion(
            criterion="Functional impairment",
            element="functional_impairment",
            met=True,
            policy=PolicyRef(
                policy_id="BH-OP-12",
                section="4.3",
                version="2024-01",
                quote="The condition impairs work, school or relationships.",
            ),
            evidence=[
                EvidenceQuote(
                    quote="Missed four days of work this month", source=NOTE, date=dt.date(2025, 1, 14)
                )
            ],
        ),
        Criterion(
            criterion="Measurable treatment goals",
            element="treatment_plan_goals",
            met=True,
            policy=PolicyRef(
                policy_id="BH-OP-12",
                section="4.5",
                version="2024-01",
                quote="An individualized plan with measurable goals.",
            ),
            evidence=[
                EvidenceQuote(
                    quote="reduce panic attacks to 1/week within 12 weeks",
                    source=PLAN,
                    date=dt.date(2024, 12, 2),
                )
            ],
        ),
        Criterion(
            criterion="Suicide risk assessment documented",
            element="risk_assessment",
            met=False,
            policy=PolicyRef(
                policy_id="BH-OP-12",
                section="4.7",
                version="2024-01",
                quote="Risk assessment when indicated.",
            ),
        ),
    ]


def _letter(root: str = "medical_necessity", criteria: list[Criterion] | None = None) -> str:
    return write_letter(
        _classification(root),
        _criteria() if criteria is None else criteria,
        provider="Dr. A. Rivera, PsyD",
        practice="Rivera Counseling",
        today=dt.date(2025, 2, 20),
    )


def test_heading_identifies_claim_and_denial() -> None:
    letter = _letter()
    for text in (
        "February 20, 2025",
        "Acme Health",
        "Request for reconsideration / appeal",
        "CLM-77120",
        "M-4411",
        "[PATIENT_1]",
        "2025-01-14",
        "90837",
        "2025-02-03",
        "CO-50",
        "N115",
        "Not medically necessary.",
    ):
        assert text in letter
    assert "## The plan's criteria and where the record meets them" in letter
    assert "reprocess and pay claim CLM-77120 as billed" in letter


def test_met_criteria_quoted_with_policy_and_dated_sources() -> None:
    letter = _letter()
    for criterion in _criteria()[:3]:
        assert criterion.criterion in letter
        assert criterion.policy is not None and criterion.policy.quote is not None
        assert (
            f"{criterion.policy.policy_id} §{criterion.policy.section} ({criterion.policy.version})" in letter
        )
        assert f"> {criterion.policy.quote}" in letter
    assert "“panic attacks 3x/week; PHQ-9 = 17” (Progress note 2025-01-14, dated 2025-01-14)" in letter
    assert "“reduce panic attacks to 1/week within 12 weeks” (Treatment plan, dated 2024-12-02)" in letter
    assert "### 3. Measurable treatment goals" in letter
    assert "## Enclosures" in letter and "Payer policy BH-OP-12 §4.2 (2024-01)" in letter
    assert "Electronic remittance advice (835) for claim CLM-77120" in letter


def test_unmet_criterion_appears_nowhere() -> None:
    letter = _letter()
    assert "Suicide risk" not in letter and "4.7" not in letter and "Risk assessment" not in letter


def test_letter_passes_the_citation_verifier() -> None:
    letter = _letter()
    assert verify_quotes(letter, SOURCES) == []
    cited = policy_citations(letter)
    assert [c[1] for c in cited] == ["4.2", "4.3", "4.5"]
    assert verify_policy_citations(cited, lambda p, s, v: POLICY_TEXT.get((p, s, v or ""))) == []


@pytest.mark.parametrize("root", ["benefit_limit", "not_covered"])
def test_parity_paragraph_for_limits_and_non_covered(root: str) -> None:
    letter = _letter(root)
    assert "MHPAEA" in letter and "29 CFR 2590.712" in letter and "comparative analysis" in letter


@pytest.mark.parametrize("root", ["medical_necessity", "documentation", "authorization"])
def test_no_parity_paragraph_otherwise(root: str) -> None:
    assert "MHPAEA" not in _letter(root) and "parity" not in _letter(root).lower()


def test_parity_paragraph_for_treatment_limit_criterion() -> None:
    limit = Criterion(
        criterion="Visit limit of 20 sessions per year",
        element="visit_limit",
        met=True,
        evidence=[EvidenceQuote(quote="PHQ-9 = 17", source=NOTE, date=dt.date(2025, 1, 14))],
    )
    assert "MHPAEA" in _letter("medical_necessity", [limit])


def test_deterministic() -> None:
    assert _letter() == _letter()


def test_html_has_headings_and_escapes_html() -> None:
    html = letter_to_html(_letter())
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert (
        "<h2>The plan's criteria and where the record meets them</h2>" in html
        or "criteria and where the record" in html
    )
    assert "<h3>1. Current symptoms with severity</h3>" in html
    assert "<h2>Enclosures</h2>" in html and "<blockquote>" in html
    assert "<script>" not in letter_to_html("<script>alert(1)</script>")


def test_pdf_written_and_readable(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "out" / "letter.pdf"
    letter_to_pdf(_letter("benefit_limit"), target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join((page.extract_text() or "") for page in PdfReader(str(target)).pages)
    assert "CLM-77120" in text and "Enclosures" in text and "PHQ-9" in text
    assert [p.name for p in target.parent.iterdir()] == ["letter.pdf"]


def test_pdf_without_unicode_font(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(letter_module, "_dejavu", lambda: None)
    target = tmp_path / "latin1.pdf"
    letter_to_pdf(_letter("not_covered") + "\n- “curly” – dash — ≥ ✓\n", target)
    text = " ".join((page.extract_text() or "") for page in PdfReader(str(target)).pages)
    assert "CLM-77120" in text and "§4.2" in text and '"curly" - dash - >=' in text
