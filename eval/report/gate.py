"""The regression gate: per-suite metric floors and ceilings from ``eval/thresholds.yaml``.

Thresholds are keyed by suite, then by a dotted metric path (``behavioral_health.recall``);
each has ``min`` (the metric must not fall below) and / or ``max`` (must not rise above, for
leaks and invented facts). A metric that is missing or not a number fails the gate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

THRESHOLDS = Path(__file__).resolve().parents[1] / "thresholds.yaml"


class Bound(BaseModel):
    """Limits of one metric."""

    min: float | None = None
    max: float | None = None


class GateResult(BaseModel):
    """Whether every metric is within its bounds, and a line per one that is not."""

    ok: bool
    failures: list[str] = Field(default_factory=list)
    checked: int = 0


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, dict[str, Bound]]:
    """Read the thresholds file as ``{suite: {metric path: Bound}}``."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {suite: {metric: Bound.model_validate(b) for metric, b in (metrics or {}).items()}
            for suite, metrics in raw.items()}


def lookup(metrics: dict[str, Any], path: str) -> Any:
    """The value at dotted ``path`` in ``metrics`` (None when absent); a key may itself hold dots."""
    if path in metrics:
        return metrics[path]
    head, _, rest = path.partition(".")
    value = metrics.get(head)
    if rest and isinstance(value, dict):
        return lookup(value, rest)
    return None


def check_gate(suites: dict[str, dict[str, Any]], thresholds: dict[str, dict[str, Bound]]) -> GateResult:
    """Compare each suite's metrics with its thresholds.

    Args:
        suites: Metrics by suite name (as the suites report them).
        thresholds: Bounds by suite and metric path.

    Returns:
        The gate result; ``failures`` names each failing metric as ``suite.metric``. A suite with
        thresholds that did not run is a failure too.
    """
    failures: list[str] = []
    checked = 0
    for suite, bounds in thresholds.items():
        if suite not in suites:
            failures.append(f"{suite}: suite did not run")
            continue
        for metric, bound in bounds.items():
            checked += 1
            value = lookup(suites[suite], metric)
            name = f"{suite}.{metric}"
            if isinstance(value, bool) or not isinstance(value, int | float):
                failures.append(f"{name}: missing or not a number ({value!r})")
            elif bound.min is not None and value < bound.min:
                failures.append(f"{name} = {value:g} is below the minimum {bound.min:g}")
            elif bound.max is not None and value > bound.max:
                failures.append(f"{name} = {value:g} is above the maximum {bound.max:g}")
    return GateResult(ok=not failures, failures=failures, checked=checked)
