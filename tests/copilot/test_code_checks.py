"""Deterministic billing checks from the baseline pack."""

from __future__ import annotations

import pytest

from assistant.copilot.code_checks import Claim, run_code_checks
from assistant.copilot.rulepacks import get_registry


def _checks(note: str = "Individual session in office.", **claim: object) -> dict[str, tuple[str, str | None]]:
    pack = get_registry().resolve(None)
    return {c.check: (c.status, c.suggested_code) for c in run_code_checks(pack, Claim.model_validate(claim), note)}


@pytest.mark.parametrize(
    ("cpt", "minutes", "status", "suggested"),
    [
        ("90837", 48, "fail", "90834"),
        ("90837", 53, "pass", None),
        ("90834", 58, "fail", "90837"),
        ("90834", 35, "fail", "90832"),
        ("90832", 12, "fail", None),
        ("90836", 30, "fail", "90833"),
    ],
)
def test_when_minutes_outside_band_then_time_band_suggests_the_code_that_fits(
    cpt: str, minutes: int, status: str, suggested: str | None
) -> None:
    result = _checks(cpt=cpt, minutes=minutes, addons=["99214"] if cpt == "90836" else [])
    assert result["time_band"] == (status, suggested)


def test_when_psychotherapy_under_16_minutes_then_minimum_fails() -> None:
    assert _checks(cpt="90832", minutes=12)["minimum_time"] == ("fail", None)


def test_when_crisis_under_30_minutes_then_bill_90832_or_90833_with_em() -> None:
    assert _checks(cpt="90839", minutes=25)["minimum_time"] == ("fail", "90832")
    assert _checks(cpt="90839", minutes=25, addons=["99213"])["minimum_time"] == ("fail", "90833")


def test_when_family_session_under_26_minutes_then_minimum_fails() -> None:
    assert _checks(cpt="90847", minutes=20)["minimum_time"] == ("fail", None)
    assert _checks(cpt="90846", minutes=30)["minimum_time"] == ("pass", None)


def test_when_90840_without_75_minutes_then_time_band_suggests_90839_alone() -> None:
    assert _checks(cpt="90839", minutes=65, addons=["90840"])["time_band"] == ("fail", "90839")
    assert _checks(cpt="90839", minutes=80, addons=["90840"])["time_band"] == ("pass", None)


@pytest.mark.parametrize(
    ("cpt", "addons", "status"),
    [
        ("90834", ["90785"], "pass"),
        ("90853", ["90785"], "pass"),
        ("90839", ["90785"], "fail"),
        ("90846", ["90785"], "fail"),
        ("90837", ["90840"], "fail"),
        ("90839", ["90840"], "pass"),
        ("90833", [], "fail"),
        ("90833", ["99213"], "pass"),
    ],
)
def test_when_addons_then_compatibility(cpt: str, addons: list[str], status: str) -> None:
    assert _checks(cpt=cpt, addons=addons, minutes=80 if cpt == "90839" else 30)["addon_compatibility"][0] == status


def test_when_no_telehealth_then_no_telehealth_check() -> None:
    assert "telehealth" not in _checks(cpt="90834", minutes=45, pos="11")


def test_when_video_visit_without_95_then_baseline_fails() -> None:
    assert _checks("Session by video; client at home.", cpt="90834", minutes=45, pos="10")["telehealth"][0] == "fail"
    assert _checks("Session by video; client at home.", cpt="90834", minutes=45, pos="10", modifiers=["95"])["telehealth"][0] == "pass"


def test_when_note_places_patient_at_home_then_pos_02_fails() -> None:
    result = _checks("Session by video; patient at her home.", cpt="90832", minutes=30, pos="02", modifiers=["95"])
    assert result["telehealth"][0] == "fail"


def test_when_93_and_95_together_then_fail() -> None:
    result = _checks("By telephone; client at home.", cpt="90834", minutes=45, pos="10", modifiers=["93", "95"])
    assert result["telehealth"][0] == "fail"
