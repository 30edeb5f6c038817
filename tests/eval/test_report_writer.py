"""The report writer: three files and PNG plots from a small fake run, deltas against a previous run."""

from __future__ import annotations

import json
from pathlib import Path

from eval.report.benchmarks import external_benchmarks
from eval.report.collect import EvalRun, compare, find_previous
from eval.report.gate import GateResult
from eval.report.writer import write_report

SUITES = {
    "copilot": {"macro_f1": 0.85, "per_element_dev": {"diagnosis": {"f1": 0.9}, "plan": {"f1": 0.7}}},
    "deid": {"behavioral_health": {"recall": 0.98, "per_type": {"PERSON": {"recall": 0.97}, "DATE": {"recall": 0.99}}},
             "asq_phi": {"value_recall": 0.99, "per_type_recall": {"NAME": 1.0}},
             "presidio_research": {"n": 10, "parity": {"all_types": {"precision": 0.9, "recall": 0.7}, "seconds": 1.0},
                                   "stock_presidio": {"all_types": {"precision": 0.8, "recall": 0.75}, "seconds": 2.0}}},
    "retrieval": {"recall@5": 0.97, "modes": {"hybrid": {"recall@5": 0.97, "mrr@10": 0.8, "p50_ms": 20.0},
                                              "dense": {"recall@5": 0.8, "mrr@10": 0.6, "p50_ms": 15.0}}},
    "scribe": {"aci_bench": {"dialogues": 2, "offline": {"rouge1": 23.0}},
               "mts_dialog": {"dialogues": 3, "offline": {"rouge1": 7.0}}, "annomi": {"supported_share": 1.0}},
}


def _run() -> EvalRun:
    run = EvalRun(created="2025-01-01T00:00:00+00:00", quick=True, suites=SUITES,
                  seconds={"copilot": 1.0, "deid": 2.0}, gate=GateResult(ok=False, failures=["copilot.macro_f1 low"]))
    run.benchmarks = external_benchmarks(run.suites)
    return run


def test_when_report_written_then_three_files_and_png_plots(tmp_path: Path) -> None:
    out = tmp_path / "run1"
    write_report(_run(), out)
    assert {"report.json", "report.md", "report.html"} <= {p.name for p in out.iterdir()}
    pngs = list(out.glob("*.png"))
    assert pngs and all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "copilot.macro_f1 low" in html
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "GPT-4 zero-shot: 51.8" in md and "Comprehend Medical: 0.987" in md
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["suites"]["copilot"]["macro_f1"] == 0.85


def test_when_previous_run_in_same_folder_then_delta_reported(tmp_path: Path) -> None:
    write_report(_run(), tmp_path / "run1")
    newer = _run()
    newer.suites = {**SUITES, "copilot": {**SUITES["copilot"], "macro_f1": 0.80}}
    previous = find_previous(tmp_path / "run2")
    assert previous == tmp_path / "run1" / "report.json"
    newer.previous = compare(newer, previous)
    assert newer.previous is not None
    assert newer.previous.delta["copilot"]["macro_f1"] == [0.85, 0.80, -0.05]
    write_report(newer, tmp_path / "run2")
    assert "-0.05" in (tmp_path / "run2" / "report.md").read_text(encoding="utf-8")
