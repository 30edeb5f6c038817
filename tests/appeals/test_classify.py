"""Buckets, actions, routes, deadlines and the recurring-pattern route."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine

from assistant.appeals.classify import classify, load_rules, routes_for
from assistant.appeals.intake import parse_text
from assistant.appeals.models import Denial
from assistant.appeals.store import DenialCaseStore
from assistant.copilot.rulepacks import get_registry

REGISTRY = get_registry()
RULES = load_rules()


def _denial(carc: list[str], group: str = "CO", billed: float = 180.0, payer: str | None = "lakeshore-health",
            denial_date: dt.date = dt.date(2025, 4, 2), **extra: object) -> Denial:
    return Denial(source="835", payer=payer, claim_id="C1", carc=carc, group=group, billed=billed, paid=0.0,
                  denial_date=denial_date, cpt=["90837"], dates_of_service=[dt.date(2025, 3, 4)], **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("carc", "bucket", "action", "appealable"),
    [
        (["50"], "medical_necessity", "appeal", True),
        (["16"], "documentation", "appeal", True),
        (["151"], "medical_necessity", "appeal", True),
        (["197"], "authorization", "appeal", True),
        (["119"], "benefit_limit", "appeal", True),
        (["96"], "not_covered", "write_off", False),  # a plain exclusion
        (["11"], "coding", "corrected_claim", False),
        (["185"], "credentialing", "enrollment_fix", False),
        (["27"], "eligibility", "patient_responsibility", False),
        (["109"], "eligibility", "corrected_claim", False),
        (["29"], "timely_filing", "write_off", False),
        (["18"], "duplicate", "write_off", False),
        (["45"], "contractual", "write_off", False),
        (["45", "50"], "medical_necessity", "appeal", True),  # the contractual adjustment is not the root cause
    ],
)
def test_when_carc_then_bucket_and_action(carc: list[str], bucket: str, action: str, appealable: bool) -> None:
    result = classify(_denial(carc), "", REGISTRY, RULES)
    assert (result.root_cause, result.action, result.appealable) == (bucket, action, appealable)


def test_when_modifier_95_and_carc_4_then_telehealth() -> None:
    assert classify(_denial(["4"], modifiers=["95"]), "", REGISTRY, RULES).root_cause == "telehealth"
    assert classify(_denial(["4"]), "", REGISTRY, RULES).root_cause == "coding"


@pytest.mark.parametrize(
    ("wording", "bucket"),
    [
        ("The records submitted do not support the services billed.", "documentation"),
        ("This service is not medically necessary for the member's condition.", "medical_necessity"),
        ("No prior authorization was on file for this date of service.", "authorization"),
        ("The member has reached the annual visit limit of 20 sessions.", "benefit_limit"),
        ("The rendering provider is not credentialed with the plan.", "credentialing"),
        ("The claim was received after the timely filing limit.", "timely_filing"),
        ("This is a duplicate of a claim previously processed.", "duplicate"),
        ("Coverage terminated before the date of service.", "eligibility"),
        ("Place of service is inconsistent with the telehealth modifier billed.", "telehealth"),
    ],
)
def test_when_letter_has_no_codes_then_wording_decides(wording: str, bucket: str) -> None:
    denial = parse_text(wording)
    assert classify(denial, wording, REGISTRY, RULES).root_cause == bucket


@pytest.mark.parametrize(
    ("amount", "bucket", "routes"),
    [
        (249.99, "coding", ["billing"]),
        (250.00, "coding", ["billing"]),
        (250.01, "coding", ["senior_billing"]),
        (180.00, "medical_necessity", ["clinical_liaison"]),
        (400.00, "documentation", ["senior_billing", "clinical_liaison"]),
    ],
)
def test_routes_follow_amount_and_bucket(amount: float, bucket: str, routes: list[str]) -> None:
    assert routes_for(bucket, amount, RULES) == routes


def test_recurring_pattern_adds_joint_review() -> None:
    assert routes_for("documentation", 100.0, RULES, recent_same_cause=11)[-1] == "joint_review"
    assert "joint_review" not in routes_for("documentation", 100.0, RULES, recent_same_cause=10)


@pytest.mark.parametrize(
    ("payer", "denied_on", "deadline", "level"),
    [
        ("lakeshore-health", dt.date(2024, 6, 1), dt.date(2024, 11, 28), "first-level internal appeal"),  # 180 days (2024.2)
        ("lakeshore-health", dt.date(2025, 4, 2), dt.date(2025, 7, 31), "first-level internal appeal"),  # 120 days (2025.1)
        ("summit-medicaid", dt.date(2025, 4, 2), dt.date(2025, 6, 1), "provider claim dispute"),
        ("brightpath-behavioral", dt.date(2025, 4, 2), dt.date(2025, 7, 1), "Level 1"),
        ("medicare-baseline", dt.date(2025, 4, 2), dt.date(2025, 7, 31), "redetermination"),
        ("acme-health", dt.date(2025, 4, 2), dt.date(2025, 9, 29), "first-level appeal"),  # default 180 days
    ],
)
def test_deadline_from_the_payer_pack_in_force_on_the_denial_date(payer: str, denied_on: dt.date, deadline: dt.date, level: str) -> None:
    result = classify(_denial(["50"], payer=payer, denial_date=denied_on), "", REGISTRY, RULES)
    assert (result.deadline, result.level) == (deadline, level)


def test_configured_default_deadline_for_unknown_payers() -> None:
    result = classify(_denial(["50"], payer=None), "", REGISTRY, RULES, default_deadline_days=90)
    assert result.deadline == dt.date(2025, 7, 1)


def test_not_covered_is_appealed_only_for_a_misclassification() -> None:
    text = "Family session without the client present was classified as parent education, which is not covered."
    assert classify(_denial(["96"]), text, REGISTRY, RULES).action == "appeal"


def test_patient_responsibility_group_goes_to_the_patient() -> None:
    result = classify(_denial(["50"], group="PR"), "", REGISTRY, RULES)
    assert (result.root_cause, result.action, result.appealable) == ("medical_necessity", "patient_responsibility", False)


def test_brightpath_authorization_goes_through_the_administrative_dispute() -> None:
    result = classify(_denial(["197"], payer="brightpath-behavioral"), "", REGISTRY, RULES)
    assert result.level == "administrative claim dispute"


def test_not_appealable_has_no_deadline() -> None:
    result = classify(_denial(["18"]), "", REGISTRY, RULES)
    assert (result.deadline, result.level) == (None, None)


def test_store_counts_same_cause_within_the_window_and_keeps_no_claim_number() -> None:
    store = DenialCaseStore(create_engine("sqlite://"), "secret")
    for i in range(12):
        d = _denial(["16"], denial_date=dt.date(2025, 4, 1) - dt.timedelta(days=i * 2))
        d.claim_id = f"C{i}"
        store.record(classify(d, "", REGISTRY, RULES))
    store.record(classify(_denial(["16"], denial_date=dt.date(2025, 4, 1)), "", REGISTRY, RULES))  # re-recorded: C1
    assert store.recent_same_cause("documentation", dt.date(2025, 4, 2), 30) == 12  # C1 re-recorded, not doubled
    assert store.recent_same_cause("documentation", dt.date(2025, 4, 2), 10) == 5
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT claim_key FROM denial_cases").fetchall()
    assert all(r[0] != "C1" and len(r[0]) == 64 for r in rows)
