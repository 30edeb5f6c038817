"""Every recognizer, table-driven: identifiers found (with the right span) and look-alikes kept."""

from __future__ import annotations

import pytest

from guardrails.deid import get_deidentifier

# (text, the exact identifier that must be covered)
POSITIVES = [
    # names: full, lower-case, all-caps, first-name-only in dialogue, titles, relatives, labels
    ("Client: Jane Roe, seen today.", "Jane Roe"),
    ("my sister jen drove me here", "jen"),
    ("PATIENT: MARCUS DELGADO", "MARCUS DELGADO"),
    ("Dr. Okafor raised the dose.", "Okafor"),
    ("I talked to Ms. Baker about it.", "Baker"),
    ("Her boyfriend, Tyler, left.", "Tyler"),
    ("Brother (Tunde) visits weekly.", "Tunde"),
    ("hey tamsin, can we move thursday", "tamsin"),
    ("Signed: Abigail Osei, LCSW", "Abigail Osei"),
    ("Therapist: How was the week, Priya?", "Priya"),
    ("Oluwaseun \"Seun\" Adeyemi was referred.", "Seun"),
    ("WHITCOMBE-SATO, ELEANOR  DOS 06/12", "WHITCOMBE-SATO, ELEANOR"),
    # places
    ("4417 Birchwood Lane, Apt 3B, Dayton, OH 45402", "4417 Birchwood Lane, Apt 3B"),
    ("4417 Birchwood Lane, Apt 3B, Dayton, OH 45402", "Dayton"),
    ("4417 Birchwood Lane, Apt 3B, Dayton, OH 45402", "45402"),
    ("She moved to the town of Millbrook last year.", "Millbrook"),
    ("We live out in Starkey County now.", "Starkey County"),
    ("PO Box 7781, Lima", "PO Box 7781"),
    # dates and ages
    ("DOB: 03/14/1985", "03/14/1985"),
    ("seen on March 3rd, 2025 for intake", "March 3rd, 2025"),
    ("admitted the 14th of June", "14th of June"),
    ("discharged 2025-02-11", "2025-02-11"),
    ("My grandma is 92 years old.", "92"),
    ("He's 91 now and in memory care.", "91"),
    # contact, numbers, ids
    ("Call me at (555) 201-3344 ext. 12.", "(555) 201-3344 ext. 12"),
    ("fax 555.201.9988", "555.201.9988"),
    ("email sarah.m@gmail.com please", "sarah.m@gmail.com"),
    ("SSN 123-45-6789 on file", "123-45-6789"),
    ("SSN: 987-65-4320", "987-65-4320"),
    ("MRN: 00482913", "00482913"),
    ("Member ID: ZGH4471123", "ZGH4471123"),
    ("Member #: PCH 300 772 914 01", "PCH 300 772 914 01"),
    ("Claim #: 2025031400457", "2025031400457"),
    ("Acct # 88-1203-77", "88-1203-77"),
    ("Driver's license: D412-7781-3390", "D412-7781-3390"),
    ("license plate 7KXR219 on the van", "7KXR219"),
    ("VIN 1HGCM82633A004352", "1HGCM82633A004352"),
    ("pump serial number CP88-2210-X4", "CP88-2210-X4"),
    ("see https://portal.example.org/records?id=77", "https://portal.example.org/records?id=77"),
    ("sign-in from 185.220.101.47.", "185.220.101.47"),
    ("Case number 24-CR-1187 in family court", "24-CR-1187"),
    ("NM1*QC*1*SIMMONS*DANDRE****MI*SMP77310042~", "SIMMONS"),
    ("NM1*QC*1*SIMMONS*DANDRE****MI*SMP77310042~", "SMP77310042"),
    # organisations
    ("My son goes to Lincoln Middle School.", "Lincoln Middle School"),
    ("She works at Greystone Logistics.", "Greystone Logistics"),
    ("grief group at Holy Redeemer Lutheran", "Holy Redeemer Lutheran"),
    ("admitted to Mercy Valley Hospital", "Mercy Valley Hospital"),
]

# (text, a look-alike that must NOT be redacted)
NEGATIVES = [
    ("PHQ-9 of 17, GAD-7 = 12", "17"),
    ("PHQ-9 of 17, GAD-7 = 12", "12"),
    ("Billed CPT 90837 with 90785", "90837"),
    ("Denied with CARC 50 and RARC N386", "N386"),
    ("Group code CO-197 applies", "CO-197"),
    ("Diagnosis F33.1, MDD recurrent", "F33.1"),
    ("sertraline 100 mg daily", "100"),
    ("Session 10:02 to 10:55, 53 minutes", "10:02"),
    ("since 2019 she has struggled", "2019"),
    ("we met last Tuesday, two weeks ago", "last Tuesday"),
    ("rated anxiety 7/10 this week", "7/10"),
    ("a 34-year-old woman", "34"),
    ("Coverage by Lakeshore Health under policy BH-OP-12", "Lakeshore Health"),
    ("Coverage by Lakeshore Health under policy BH-OP-12", "BH-OP-12"),
    ("She lives in Ohio.", "Ohio"),
    ("I hope things get better, I will try.", "hope"),
    ("There is a grace period of 30 days.", "grace"),
    ("We practiced Wise Mind and CBT restructuring.", "Wise Mind"),
    ("History of Parkinson's disease in father", "Parkinson"),
    ("Beck Depression Inventory score 22", "Beck"),
    ("Therapist: Good. Let's start.", "Good"),
    ("Client: Yeah, it was a lot.", "Yeah"),
    ("timely filing is 90 days", "90"),
]


def _covered(text: str, value: str) -> float:
    start = text.index(value)
    spans = get_deidentifier().analyze(text)
    chars = [i for i in range(start, start + len(value)) if not text[i].isspace()]
    return sum(any(e.start <= i < e.end for e in spans) for i in chars) / len(chars)


@pytest.mark.parametrize(("text", "value"), POSITIVES)
def test_when_identifier_present_then_it_is_redacted(text: str, value: str) -> None:
    assert _covered(text, value) == 1.0


@pytest.mark.parametrize(("text", "value"), NEGATIVES)
def test_when_lookalike_present_then_it_is_kept(text: str, value: str) -> None:
    assert _covered(text, value) == 0.0


def test_entities_have_exact_offsets_and_types() -> None:
    text = "Client: Jane Roe  MRN: 00482913  Phone 555-201-3344"
    found = {text[e.start:e.end]: e.type for e in get_deidentifier().analyze(text)}
    assert found == {"Jane Roe": "PATIENT", "00482913": "MRN", "555-201-3344": "PHONE"}


def test_offline_no_tldextract_network(capsys: pytest.CaptureFixture[str]) -> None:
    get_deidentifier().analyze("visit www.example.com or mail a@b.org")
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "suffix" not in captured.err.lower()
