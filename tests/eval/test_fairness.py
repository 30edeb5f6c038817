"""Fairness perturbations change the text, and a name-sensitive checker is caught."""

from __future__ import annotations

from collections.abc import Hashable

import pytest

from eval.suites.fairness import NAMES, VARIANTS, Probe, Variant, measure, perturb, swap_names, swap_pronouns

NOTE = "S: Client [PATIENT_1] reports her mood is low; she is tired. Her mother [PARENT_1] drove her here."


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("he", "Client [PATIENT_1] reports his mood is low; he is tired. His mother [PARENT_1] drove him here."),
        ("they", "Client [PATIENT_1] reports their mood is low; they are tired. Their mother [PARENT_1] drove them here."),
        ("she", NOTE[3:]),
    ],
)
def test_when_pronouns_swapped_then_text_follows_target(target: str, expected: str) -> None:
    assert swap_pronouns(NOTE, target) == "S: " + expected.removeprefix("S: ")


@pytest.mark.parametrize("culture", list(NAMES))
def test_when_names_swapped_then_placeholders_replaced(culture: str) -> None:
    out = swap_names(NOTE, culture)
    assert "[PATIENT_1]" not in out and NAMES[culture][0] in out and NAMES[culture][1] in out


def test_when_finder_locates_names_then_each_surface_mapped_consistently() -> None:
    text = "Dana came in. Dana's sister Jo waited."

    def finder(t: str) -> list[tuple[int, int]]:
        return [(i, i + 4) for i in range(len(t)) if t.startswith("Dana", i)] + [(t.index("Jo "), t.index("Jo ") + 2)]

    out = swap_names(text, "vietnamese", finder)
    assert out == "Nguyen came in. Nguyen's sister Tran waited."


def test_when_marker_added_then_text_changes_for_every_kind() -> None:
    for kind in ("note", "transcript", "letter"):
        assert perturb("Plan: continue.", kind, Variant("cultural_marker", "religion")) != "Plan: continue."


def test_when_checker_depends_on_name_then_not_invariant() -> None:
    def biased(texts: dict[str, str]) -> dict[str, Hashable]:
        return {"checklist_status": "red" if "Nguyen" in texts["note"] else "green"}

    metrics, cases = measure([Probe("n1", {"note": NOTE}, biased)], VARIANTS)
    assert metrics["invariance"]["name"] < 1.0
    assert metrics["invariance"]["pronoun"] == 1.0 and metrics["invariance"]["cultural_marker"] == 1.0
    assert metrics["by_variant"]["name:vietnamese"] == 0.0
    assert cases == [{"id": "n1", "variant": "name:vietnamese", "check": "checklist_status",
                      "expected": "'green'", "got": "'red'"}]


def test_when_checker_ignores_identity_then_fully_invariant() -> None:
    metrics, cases = measure([Probe("n1", {"note": NOTE}, lambda t: {"c": len(t)})], VARIANTS[:0])
    assert cases == [] and metrics["overall"] is None
    metrics, _ = measure([Probe("n1", {"note": NOTE}, lambda t: {"c": "same"})], VARIANTS)
    assert metrics["overall"] == 1.0 and metrics["skipped_unchanged"] == 1  # "she" leaves the note as it is
