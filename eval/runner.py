"""Run a named evaluation suite over a dataset file and report metrics.

A suite is a module ``eval.suites.<name>`` exposing ``run(options) -> SuiteReport``.
Suites are imported only when asked for, so a light suite never pays for a heavy one.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, Field

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"

SUITES: dict[str, str] = {
    "appeals": "eval.suites.appeals",
    "copilot": "eval.suites.copilot",
    "deid": "eval.suites.deid",
    "fairness": "eval.suites.fairness",
    "retrieval": "eval.suites.retrieval",
    "scribe": "eval.suites.scribe",
}


class SuiteOptions(BaseModel):
    """How to run a suite."""

    dataset: Path | None = Field(default=None, description="Override the suite's dataset file.")
    quick: bool = Field(default=False, description="Fixed subset that runs in CI.")
    limit: int | None = Field(default=None, ge=1, description="At most this many cases per set.")


class SuiteReport(BaseModel):
    """The report every suite returns: ``{"suite", "n", "metrics", "cases"}``."""

    suite: str
    n: int
    metrics: dict[str, Any]
    cases: list[dict[str, Any]] = Field(default_factory=list)


class _SuiteModule(Protocol):
    def run(self, options: SuiteOptions) -> SuiteReport: ...


class UnknownSuiteError(LookupError):
    """No suite of that name."""


def run_suite(name: str, options: SuiteOptions | None = None) -> SuiteReport:
    """Run suite ``name`` and return its report."""
    if name not in SUITES:
        raise UnknownSuiteError(f"unknown suite {name!r}; known: {', '.join(sorted(SUITES))}")
    module: _SuiteModule = importlib.import_module(SUITES[name])  # type: ignore[assignment]
    return module.run(options or SuiteOptions())
