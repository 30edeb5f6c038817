"""Parity's figures on public benchmarks, each beside its published comparison.

Parity's numbers come from the suites' metrics (scribe: ACI-Bench, MTS-Dialog, AnnoMI; deid:
presidio-research, ASQ-PHI); the comparisons are the figures published for those benchmarks.
A ``--quick`` run scores a subset, so its figures are indicative only.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from eval.report.gate import lookup


class Benchmark(BaseModel):
    """One row of the external-benchmarks table."""

    benchmark: str
    metric: str
    parity: float | None
    source: str
    published: dict[str, float]
    note: str = ""


def _engines(scribe: dict[str, Any], name: str) -> list[str]:
    return [e for e in ("offline", "llm") if isinstance(lookup(scribe, f"{name}.{e}"), dict)]


def external_benchmarks(suites: dict[str, dict[str, Any]]) -> list[Benchmark]:
    """The external-benchmark rows that the given suite metrics allow."""
    rows: list[Benchmark] = []
    scribe, deid = suites.get("scribe"), suites.get("deid")
    if scribe:
        for engine in _engines(scribe, "aci_bench"):
            rows.append(Benchmark(
                benchmark="ACI-Bench test1", metric=f"ROUGE-1 F1 ×100 ({engine} engine)",
                parity=lookup(scribe, f"aci_bench.{engine}.rouge1"), source=f"scribe: aci_bench.{engine}.rouge1",
                published={"GPT-4 zero-shot": 51.8, "BART fine-tuned": 53.5},
                note=f"{lookup(scribe, 'aci_bench.dialogues')} dialogues scored"))
        for engine in _engines(scribe, "mts_dialog"):
            value = lookup(scribe, f"mts_dialog.{engine}.rouge1")
            rows.append(Benchmark(
                benchmark="MTS-Dialog (section summaries)", metric=f"ROUGE-1 F1 ({engine} engine)",
                parity=round(value / 100, 4) if isinstance(value, int | float) else None,
                source=f"scribe: mts_dialog.{engine}.rouge1 / 100", published={"MEDIQA-Sum 2023 best": 0.43},
                note=f"{lookup(scribe, 'mts_dialog.dialogues')} dialogues scored"))
        rows.append(Benchmark(
            benchmark="AnnoMI counselling sessions", metric="share of note sentences grounded in cited lines",
            parity=lookup(scribe, "annomi.supported_share"), source="scribe: annomi.supported_share", published={},
            note=f"{lookup(scribe, 'annomi.sessions')} sessions; no published figure: Parity's own grounding "
                 "check, re-verified independently of the scribe"))
    if deid:
        for key, label in (("precision", "precision"), ("recall", "recall")):
            rows.append(Benchmark(
                benchmark="presidio-research synthetic sentences", metric=f"{label} (all mapped types)",
                parity=lookup(deid, f"presidio_research.parity.all_types.{key}"),
                source=f"deid: presidio_research.parity.all_types.{key}",
                published={"stock Presidio (published)": {"precision": 0.685, "recall": 0.603}[key],
                           "tuned Presidio (published)": {"precision": 0.870, "recall": 0.839}[key],
                           "stock Presidio (this run)": lookup(deid, f"presidio_research.stock_presidio.all_types.{key}")},
                note=f"HIPAA-only {label}: {lookup(deid, f'presidio_research.parity.hipaa.{key}')}"))
        rows.append(Benchmark(
            benchmark="ASQ-PHI clinical queries", metric="PHI value recall",
            parity=lookup(deid, "asq_phi.value_recall"), source="deid: asq_phi.value_recall",
            published={"AWS Comprehend Medical": 0.987},
            note=f"strict recall {lookup(deid, 'asq_phi.value_recall_strict')}; "
                 f"over-redaction on PHI-free queries {lookup(deid, 'asq_phi.over_redaction_rate')}"))
    for row in rows:  # a comparison the run could not measure is left out rather than shown as None
        row.published = {k: v for k, v in row.published.items() if isinstance(v, int | float)}
    return rows
