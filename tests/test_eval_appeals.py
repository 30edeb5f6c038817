"""The appeals evaluation runs offline and holds its targets on the quick subset."""

from __future__ import annotations

import pytest

from eval.runner import SuiteOptions, run_suite

pytestmark = [pytest.mark.eval, pytest.mark.slow]


def test_appeals_quick_suite() -> None:
    report = run_suite("appeals", SuiteOptions(quick=True))
    m = report.metrics
    assert m["scenarios"] >= 10 and m["errors"] == 0
    assert m["carc_extraction"] == 1.0 and m["rarc_extraction"] == 1.0
    assert m["routes"] == 1.0
    assert m["root_cause"] >= 0.95
    assert m["citation_validity"] in (1.0, None)
    assert m["identifiers_in_model_inputs"] == 0
    if m["letters_drafted"]:
        assert m["unmet_criteria_reported"] == 1.0
