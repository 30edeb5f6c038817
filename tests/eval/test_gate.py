"""The regression gate: thresholds from YAML, failures named by suite and metric."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.report.gate import THRESHOLDS, Bound, check_gate, load_thresholds, lookup

FAKE = {
    "copilot": {"macro_f1": 0.80, "invented_fact_share": 0.0},
    "deid": {"behavioral_health": {"recall": 0.99}},
    "retrieval": {"recall@5": 0.97},
}


def test_when_every_metric_within_bounds_then_gate_passes() -> None:
    thresholds = {"copilot": {"macro_f1": Bound(min=0.75), "invented_fact_share": Bound(max=0.01)},
                  "deid": {"behavioral_health.recall": Bound(min=0.95)}, "retrieval": {"recall@5": Bound(min=0.9)}}
    result = check_gate(FAKE, thresholds)
    assert result.ok and result.failures == [] and result.checked == 4


@pytest.mark.parametrize(
    ("suite", "metric", "bound", "named"),
    [
        ("copilot", "macro_f1", Bound(min=0.85), "copilot.macro_f1 = 0.8 is below the minimum 0.85"),
        ("copilot", "invented_fact_share", Bound(max=-0.1), "copilot.invented_fact_share = 0 is above the maximum -0.1"),
        ("deid", "behavioral_health.recall", Bound(min=0.995), "deid.behavioral_health.recall = 0.99 is below"),
        ("deid", "behavioral_health.gone", Bound(min=0.5), "deid.behavioral_health.gone: missing"),
        ("fairness", "overall", Bound(min=0.5), "fairness: suite did not run"),
    ],
)
def test_when_metric_misses_threshold_then_gate_fails_and_names_it(suite: str, metric: str, bound: Bound, named: str) -> None:
    result = check_gate(FAKE, {suite: {metric: bound}})
    assert not result.ok
    assert len(result.failures) == 1 and result.failures[0].startswith(named)


def test_when_thresholds_file_read_then_bounds_typed(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("copilot:\n  macro_f1: {min: 0.7}\n  invented_fact_share: {max: 0.0}\n", encoding="utf-8")
    loaded = load_thresholds(path)
    assert loaded["copilot"]["macro_f1"].min == 0.7 and loaded["copilot"]["invented_fact_share"].max == 0.0


def test_when_repository_thresholds_loaded_then_every_suite_has_bounds() -> None:
    from eval.runner import SUITES

    loaded = load_thresholds(THRESHOLDS)
    assert set(SUITES) <= set(loaded)
    assert all(b.min is not None or b.max is not None for bounds in loaded.values() for b in bounds.values())


def test_when_key_holds_a_dot_free_at_sign_then_lookup_finds_it() -> None:
    assert lookup({"modes": {"hybrid": {"recall@5": 0.9}}}, "modes.hybrid.recall@5") == 0.9
