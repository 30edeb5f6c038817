"""Egress scanner and the PHI-redacting logging filter."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from guardrails.deid import Deidentifier, get_deidentifier
from guardrails.scanner import Finding, PhiRedactingFilter, install_log_redaction, redact, scan

NAME, PHONE, MRN = "Maribel Quintanilla", "555-201-3344", "00482913"


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return get_deidentifier()


@pytest.mark.parametrize(
    ("output", "value", "kind"),
    [
        (f"Summary: the client {NAME} reports better sleep.", NAME, "PERSON"),
        (f"Summary: [PATIENT_1] asked to be called at phone {PHONE}.", PHONE, "PHONE"),
        (f"Summary: [PATIENT_1] chart MRN: {MRN} was reviewed.", MRN, "MRN"),
    ],
)
def test_when_model_output_leaks_an_identifier_then_scan_finds_it(
    deid: Deidentifier, output: str, value: str, kind: str
) -> None:
    findings = scan(output, deid)
    start = output.index(value)
    assert [(f.type, f.start, f.end) for f in findings] == [(kind, start, start + len(value))]
    assert findings[0].score >= 0.5


def test_when_output_has_only_placeholders_then_scan_finds_nothing(deid: Deidentifier) -> None:
    output = (
        "[PATIENT_1] called on [DATE_2] from [PHONE_1]; [PERSON_3] joined. "
        "MRN: [MRN_1]. Email [EMAIL_1], member [MEMBER_ID_2], ip [IP_1]."
    )
    assert scan(output, deid) == []


def test_when_placeholders_and_a_leak_are_mixed_then_only_the_leak_is_found(deid: Deidentifier) -> None:
    output = f"[PATIENT_1] spoke with [PERSON_2] on [DATE_2]; callback {PHONE}."
    findings = scan(output, deid)
    assert [(f.type, output[f.start:f.end]) for f in findings] == [("PHONE", PHONE)]


def test_when_findings_are_serialized_then_they_carry_no_values(deid: Deidentifier) -> None:
    output = f"Client: {NAME}, phone {PHONE}, MRN: {MRN}."
    findings = scan(output, deid)
    assert {f.type for f in findings} == {"PATIENT", "PHONE", "MRN"}
    assert set(Finding.model_fields) == {"type", "start", "end", "score"}
    dumped = "".join(f.model_dump_json() for f in findings)
    for value in (NAME, "Maribel", "Quintanilla", PHONE, MRN):
        assert value not in dumped


def test_when_redacting_then_values_become_type_labels(deid: Deidentifier) -> None:
    assert redact(f"Call {PHONE}, MRN: {MRN}.", deid) == "Call [PHONE], MRN: [MRN]."


@pytest.fixture
def redacted_logger(deid: Deidentifier) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.guardrails.phi")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    flt = PhiRedactingFilter(deid)
    logger.addFilter(flt)
    try:
        yield logger, stream
    finally:
        logger.removeFilter(flt)
        logger.removeHandler(handler)


def test_when_log_args_hold_phone_and_name_then_output_has_neither(
    redacted_logger: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = redacted_logger
    logger.info("callback requested by %s at %s", NAME, PHONE)
    out = stream.getvalue()
    assert out == "INFO callback requested by [PERSON] at [PHONE]\n"


def test_when_logging_an_exception_then_its_message_is_redacted(
    redacted_logger: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = redacted_logger
    try:
        raise LookupError(f"no chart for {NAME} (phone {PHONE}, MRN: {MRN})")
    except LookupError:
        logger.exception("lookup failed for %s", NAME)
    out = stream.getvalue()
    assert "LookupError" in out and "lookup failed for [PERSON]" in out
    for value in (NAME, "Maribel", "Quintanilla", PHONE, MRN):
        assert value not in out


def test_when_log_line_has_no_phi_then_it_is_unchanged(
    redacted_logger: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = redacted_logger
    logger.info("processed %d notes in %.1f s", 12, 3.5)
    assert stream.getvalue() == "INFO processed 12 notes in 3.5 s\n"


def test_when_redaction_is_installed_on_a_parent_then_child_logger_records_are_redacted(
    deid: Deidentifier,
) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    parent = logging.getLogger("tests.guardrails.installed")
    parent.propagate = False
    parent.addHandler(handler)
    flt = install_log_redaction(parent, deidentifier=deid)
    try:
        logging.getLogger("tests.guardrails.installed.child").warning("note for %s", NAME)
    finally:
        parent.removeFilter(flt)
        parent.removeHandler(handler)
    assert stream.getvalue() == "note for [PERSON]\n"
