"""Denial intake: X12 835 remittances, letters with and without codes, PDFs, bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fpdf import FPDF

from assistant.appeals.intake import parse_text, read_denials
from assistant.appeals.x12 import parse_835
from assistant.errors import InvalidInputError

REMIT = (Path(__file__).resolve().parents[1] / "data" / "remit_multi.835").read_text()
LIMIT = 2_000_000


def test_835_reads_every_claim_with_lines_and_adjustments() -> None:
    claims = parse_835(REMIT)
    assert [c.claim_id for c in claims] == ["CLM-1001", "CLM-1002"]
    first, second = claims
    assert first.payer == "LAKESHORE HEALTH" and first.denial_date == dt.date(2025, 4, 2)
    assert (first.billed, first.paid, first.group, first.carc, first.rarc) == (280.0, 0.0, "CO", ["50"], ["N115"])
    assert first.member_id == "LKH4455667" and first.patient == "DANA WHITFIELD"
    assert first.dates_of_service == [dt.date(2025, 3, 4)] and first.cpt == ["90837"]
    assert second.cpt == ["90834", "90785"] and second.modifiers == ["95"]
    assert second.carc == ["2", "45", "97", "4"]  # claim-level and both lines' CAS, every reason of a multi-reason CAS
    line = second.lines[1]
    assert [(a.group, a.carc, a.amount) for a in line.adjustments] == [("CO", "97", 30.0), ("CO", "4", 10.0)]
    assert line.rarc == ["M80", "N20"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ISA*00*garbage", "X12"),
        ("ISA*00*          *00*          *ZZ*A              *ZZ*B              *250402*1200*^*00501*000000101*0*P*:~"
         "GS*HC*A*B*20250402*1200*1*X*005010X222A1~ST*837*0001~SE*2*0001~GE*1*1~IEA*1*000000101~", "not an 835"),
    ],
)
def test_malformed_835_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as err:
        read_denials(text.encode(), "bad.835", LIMIT)
    assert err.value.field == "file"


def test_letter_with_codes() -> None:
    d = parse_text(
        "Summit Medicaid\nDate of notice: 05/12/2025\nClaim #: SMC-22019 Member ID: OH7712345\n"
        "Date of service: 04/28/2025  CPT 90834  Billed $150.00  Paid $0.00\n"
        "Claim adjustment reason code: CO-197. Remark code: N54. Precertification was not obtained."
    )
    assert (d.claim_id, d.member_id, d.group, d.carc, d.rarc) == ("SMC-22019", "OH7712345", "CO", ["197"], ["N54"])
    assert d.denial_date == dt.date(2025, 5, 12) and d.dates_of_service == [dt.date(2025, 4, 28)]
    assert d.cpt == ["90834"] and d.amount_denied == 150.0


def test_letter_without_codes_keeps_the_reason_wording() -> None:
    d = parse_text(
        "Dear Provider,\nWe reviewed claim number BP-883100 for services on March 3, 2025 (90837).\n"
        "The records submitted do not support the medical necessity of the extended session. The service is denied.\n"
    )
    assert d.carc == [] and d.claim_id == "BP-883100"
    assert "medical necessity" in d.reason_text


def test_pdf_letter_is_read_and_an_unreadable_pdf_is_refused(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Claim number: CLM-5555\nDate of service: 02/03/2025\nDenied. Reason code CO-16: claim lacks information.")
    path = tmp_path / "letter.pdf"
    pdf.output(str(path))
    [d] = read_denials(path.read_bytes(), "letter.pdf", LIMIT)
    assert d.claim_id == "CLM-5555" and d.carc == ["16"]
    with pytest.raises(InvalidInputError, match="unreadable PDF"):
        read_denials(b"%PDF-1.7\nthis is not a pdf", "broken.pdf", LIMIT)
