"""Run every suite (one process, a tqdm bar on stderr) and compare with the previous stored run."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from tqdm import tqdm

from eval.report.benchmarks import Benchmark
from eval.report.gate import GateResult
from eval.runner import SUITES, SuiteOptions, run_suite

log = logging.getLogger(__name__)
# per-item breakdowns: plotted, not listed among the headline metrics
DETAIL_KEYS = {"per_element", "per_element_dev", "per_type", "per_kind", "per_label", "per_type_recall",
               "published", "targets", "by_variant", "copilot", "appeals"}


class PreviousRun(BaseModel):
    """The run compared with: where it is, when it ran, and ``{suite: {metric: [before, now, delta]}}``."""

    path: str
    created: str
    delta: dict[str, dict[str, list[float]]] = Field(default_factory=dict)


class EvalRun(BaseModel):
    """Everything ``parity eval all`` measured."""

    created: str
    quick: bool
    suites: dict[str, dict[str, Any]]
    cases: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    seconds: dict[str, float] = Field(default_factory=dict)
    errors: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    benchmarks: list[Benchmark] = Field(default_factory=list)
    gate: GateResult | None = None
    previous: PreviousRun | None = None


def run_all(options: SuiteOptions, names: list[str] | None = None, extras: dict[str, Any] | None = None) -> EvalRun:
    """Run ``names`` (default: every suite) and the ``extras`` (name -> ``run(options)``).

    A suite that raises is recorded in ``errors`` and the others still run.
    """
    jobs: dict[str, Any] = {n: (lambda o, n=n: run_suite(n, o)) for n in (names or list(SUITES))}
    jobs.update({k: v for k, v in (extras or {}).items()})
    run = EvalRun(created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), quick=options.quick, suites={})
    bar = tqdm(list(jobs), desc="eval", unit="suite")
    for name in bar:
        bar.set_postfix_str(name)
        started = time.perf_counter()
        try:
            report = jobs[name](options)
        except Exception as exc:  # one broken suite must not hide the others' results
            log.exception("suite %s failed", name)
            run.errors[name] = f"{type(exc).__name__}: {exc}"[:500]
            continue
        finally:
            run.seconds[name] = round(time.perf_counter() - started, 1)
        run.suites[name] = report.metrics
        run.cases[name] = report.cases
    bar.close()
    return run


def headline(metrics: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Scalar numeric metrics as ``{dotted path: value}``, per-item breakdowns left out."""
    out: dict[str, float] = {}
    for key, value in metrics.items():
        if key in DETAIL_KEYS:
            continue
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(headline(value, path + "."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[path] = value
    return out


def find_previous(out: Path) -> Path | None:
    """The newest ``report.json`` in ``out`` itself (before it is overwritten) or a sibling folder."""
    candidates = [p / "report.json" for p in out.parent.glob("*") if p.is_dir()]
    found = [p for p in candidates if p.is_file()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def compare(run: EvalRun, previous: Path) -> PreviousRun | None:
    """Deltas of every headline metric present in both runs."""
    try:
        before = json.loads(previous.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    delta: dict[str, dict[str, list[float]]] = {}
    for suite, metrics in run.suites.items():
        old = headline((before.get("suites") or {}).get(suite) or {})
        now = headline(metrics)
        rows = {k: [old[k], v, round(v - old[k], 4)] for k, v in now.items() if k in old}
        if rows:
            delta[suite] = rows
    return PreviousRun(path=str(previous.parent), created=str(before.get("created", "")), delta=delta)
