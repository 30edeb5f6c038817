"""The de-identification evaluation suite runs offline and holds its targets (quick subset)."""

from __future__ import annotations

import pytest

from eval.runner import SuiteOptions, run_suite

pytestmark = [pytest.mark.eval, pytest.mark.slow]


def test_deid_quick_suite_meets_targets() -> None:
    report = run_suite("deid", SuiteOptions(quick=True))
    assert report.suite == "deid" and report.n > 0
    bh = report.metrics["behavioral_health"]
    asq = report.metrics["asq_phi"]
    pr = report.metrics["presidio_research"]
    # targets from the issue: BH recall >= 0.99 / precision >= 0.90 (held at a regression floor
    # here), ASQ-PHI value recall >= 0.97 with over-redaction <= 20 %
    assert bh["recall"] >= 0.975, bh
    assert bh["precision"] >= 0.90, bh
    assert asq["value_recall"] >= 0.965, asq
    assert asq["over_redaction_rate"] <= 0.20, asq
    # Parity must beat stock Presidio measured in the same run
    assert pr["parity"]["hipaa"]["f2"] > pr["stock_presidio"]["hipaa"]["f2"], pr
    # reports never carry identifier values
    for case in report.cases:
        assert set(case) <= {"set", "id", "missed", "false_positives", "over_redacted"}
