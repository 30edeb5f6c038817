"""The co-pilot evaluation runs offline and holds its floor (quick subset in CI)."""

from __future__ import annotations

import pytest

from eval.runner import SuiteOptions, run_suite
from eval.suites.copilot import DEV, ablations, load_rows

pytestmark = [pytest.mark.eval, pytest.mark.slow]


def test_copilot_quick_suite() -> None:
    report = run_suite("copilot", SuiteOptions(quick=True))
    m = report.metrics
    assert m["notes"] == 30 and m["ablation_cases"] > 50
    assert m["code_check_accuracy"] == 1.0, [c for c in report.cases if c.get("code_check_errors")]
    assert m["invented_fact_share"] == 0.0
    # measured on the full set: dev macro F1 0.97; floors catch regressions
    assert m["macro_f1_dev"] >= 0.85, m["per_element_dev"]
    assert m["macro_f1"] >= 0.75


def test_ablation_cuts_the_evidence_and_keeps_untouched_labels() -> None:
    rows = load_rows(DEV)[:20]
    cases = ablations(rows)
    assert cases
    for case in cases:
        for quote in case["row"]["evidence"][case["target"]]:
            assert quote not in case["note"]
        assert case["expected"][case["target"]] == "gap"
        assert "diagnosis" not in case["expected"] or case["target"] != "symptoms_severity"
