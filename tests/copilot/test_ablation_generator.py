"""The ablation set cuts every sentence that meets the target element and scores only what is still known."""

from __future__ import annotations

from typing import Any

from eval.suites.copilot import ablations

NOTE = (
    "Dx: F41.0 Panic disorder.\n"
    "Client reports panic attacks 3 times this week.\n"
    "Used interoceptive exposure; attacks down from 5 to 3 per week since last session.\n"
    "Signed: [PROVIDER_1], LCSW, [DATE_1]"
)


def _row() -> dict[str, Any]:
    return {
        "id": "t-1",
        "cpt": "90834",
        "note": NOTE,
        "labels": {"diagnosis": "met", "symptoms_severity": "met", "interventions": "met", "response_progress": "met",
                   "provider_signature": "met"},
        "evidence": {
            "diagnosis": ["Dx: F41.0 Panic disorder."],
            "symptoms_severity": ["Client reports panic attacks 3 times this week.", "attacks down from 5 to 3 per week"],
            "interventions": ["Used interoceptive exposure"],
            "response_progress": ["attacks down from 5 to 3 per week since last session"],
            "provider_signature": ["Signed: [PROVIDER_1], LCSW, [DATE_1]"],
        },
    }


def _case(target: str) -> dict[str, Any]:
    return next(c for c in ablations([_row()]) if c["target"] == target)


def test_when_element_has_several_quotes_then_every_sentence_is_cut() -> None:
    case = _case("symptoms_severity")
    assert "panic attacks 3 times" not in case["note"]
    assert "down from 5 to 3" not in case["note"]
    assert case["expected"]["symptoms_severity"] == "gap"


def test_when_cut_breaks_a_dependency_then_dependent_is_not_scored() -> None:
    case = _case("symptoms_severity")
    assert "diagnosis" not in case["expected"]  # a code without symptoms may be partial: unknown, so not scored
    assert "provider_signature" in case["expected"]


def test_when_other_evidence_is_untouched_then_label_is_kept() -> None:
    case = _case("provider_signature")
    assert case["expected"] == {
        "provider_signature": "gap", "diagnosis": "met", "symptoms_severity": "met", "interventions": "met",
        "response_progress": "met",
    }


def test_when_a_sentence_holds_two_elements_then_both_lose_their_label() -> None:
    case = _case("response_progress")
    assert "interventions" not in case["expected"]
    assert "symptoms_severity" not in case["expected"]
