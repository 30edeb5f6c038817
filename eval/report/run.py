"""``parity eval all``: every suite plus the ragas metrics, the gate, the comparison and the reports."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

from eval.report.benchmarks import external_benchmarks
from eval.report.collect import compare, find_previous, run_all
from eval.report.gate import THRESHOLDS, check_gate, load_thresholds
from eval.report.writer import write_report
from eval.runner import SuiteOptions

log = logging.getLogger(__name__)
EVAL_DIR = Path("var/eval")


def default_out() -> Path:
    """``var/eval/<UTC timestamp>/``."""
    return EVAL_DIR / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _extras(notes: list[str], quick: bool) -> dict[str, Any]:
    if quick:  # ragas re-indexes the policy corpus (about a minute): full runs only, keeping CI under 5 min
        notes.append("ragas metrics skipped in --quick runs (they re-index the policy corpus); run without --quick.")
        return {}
    try:
        from eval import ragas_metrics
    except ImportError as exc:  # ragas is optional at run time: say so rather than fail the whole run
        notes.append(f"ragas metrics skipped: ragas cannot be imported ({exc}).")
        return {}
    notes.append(ragas_metrics.llm_note())
    return {"ragas": ragas_metrics.run}


def evaluate_all(options: SuiteOptions, out: Path | None = None, gate: bool = False,
                 thresholds: Path = THRESHOLDS) -> dict[str, Any]:
    """Run everything, write the reports into ``out`` and return the CLI's JSON summary.

    Args:
        options: Suite options (``quick`` / ``limit`` apply to every suite).
        out: Report folder; ``var/eval/<timestamp>/`` when None.
        gate: Check the thresholds (the result is always in the summary; the caller exits non-zero).
        thresholds: The thresholds file.

    Returns:
        ``{"suites": {name: metrics}, "gate": {"ok", "failures"}, "out", "previous", "errors", "seconds"}``.
    """
    from eval.llm_cache import cache_requested, enable_llm_cache

    out = out or default_out()
    notes: list[str] = []
    if cache_requested() or os.environ.get("PARITY_LLM_MODEL"):
        backend = enable_llm_cache()
        notes.append(f"LLM responses cached in {backend.directory} ({len(backend)} stored before this run).")
    previous = find_previous(out)
    run = run_all(options, extras=_extras(notes, options.quick))
    run.notes = notes
    run.benchmarks = external_benchmarks(run.suites)
    result = check_gate(run.suites, load_thresholds(thresholds))
    for name, error in run.errors.items():
        result.failures.append(f"{name}: suite failed: {error}")
        result.ok = False
    run.gate = result
    if previous is not None:
        run.previous = compare(run, previous)
    write_report(run, out)
    log.info("evaluation report written to %s", out)
    return {
        "suites": run.suites,
        "gate": {"ok": result.ok, "failures": result.failures, "enforced": gate},
        "out": str(out),
        "previous": run.previous.model_dump() if run.previous else None,
        "errors": run.errors,
        "seconds": run.seconds,
    }
