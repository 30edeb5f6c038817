"""The retrieval evaluation runs offline, never leaks across filters, and holds its floor."""

from __future__ import annotations

import pytest

from eval.runner import SuiteOptions, run_suite

pytestmark = [pytest.mark.eval, pytest.mark.slow]


def test_retrieval_quick_suite() -> None:
    report = run_suite("retrieval", SuiteOptions(quick=True))
    m = report.metrics
    assert report.n >= 50
    assert m["filter_leaks_total"] == 0
    # measured 0.99 on the full set (target 0.95); the floor catches regressions
    assert m["recall@5"] >= 0.95, m
    assert m["modes"]["hybrid"]["recall@5"] >= m["modes"]["dense"]["recall@5"]
    assert m["modes"]["hybrid"]["mrr@10"] >= 0.75, m
