"""Plots for the evaluation report (matplotlib, Agg backend): PNG bytes keyed by figure name.

Each plot is drawn only when the suites it needs report the data: co-pilot per-element F1,
PHI recall by type, retrieval recall@k per search mode, timings, fairness invariance.
"""

from __future__ import annotations

import io
import re
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, ever
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from pydantic import BaseModel


class Plot(BaseModel):
    """One figure: file stem, caption and PNG bytes."""

    name: str
    title: str
    png: bytes


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def _barh(ax: Any, values: dict[str, float], title: str, xlabel: str) -> None:
    names = list(values)
    ax.barh(names, [values[n] for n in names], color="#3b6ea5")
    ax.set_xlim(0, 1.05)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", labelsize=8)
    for i, n in enumerate(names):
        ax.text(min(values[n], 1.0) + 0.01, i, f"{values[n]:.2f}", va="center", fontsize=7)


def copilot_f1(metrics: dict[str, Any]) -> Plot | None:
    """Per-element gap-detection F1 on the co-pilot dev set."""
    per = metrics.get("per_element_dev") or {}
    values = {k: v["f1"] for k, v in per.items() if isinstance(v, dict) and isinstance(v.get("f1"), int | float)}
    if not values:
        return None
    fig, ax = plt.subplots(figsize=(7, 0.25 * len(values) + 1.2))
    _barh(ax, values, "Co-pilot: gap-detection F1 per element (dev set)", "F1")
    return Plot(name="copilot_per_element_f1", title="Co-pilot per-element F1 (dev)", png=_png(fig))


def phi_recall(metrics: dict[str, Any]) -> Plot | None:
    """PHI recall by type on each de-identification set that reports types."""
    panels: dict[str, dict[str, float]] = {}
    bh = (metrics.get("behavioral_health") or {}).get("per_type") or {}
    panels["behavioral-health set"] = {k: v["recall"] for k, v in bh.items() if isinstance(v, dict) and "recall" in v}
    pr = ((metrics.get("presidio_research") or {}).get("parity") or {}).get("per_type") or {}
    panels["presidio-research"] = {k: v["recall"] for k, v in pr.items() if isinstance(v, dict) and "recall" in v}
    panels["ASQ-PHI"] = dict((metrics.get("asq_phi") or {}).get("per_type_recall") or {})
    panels = {k: v for k, v in panels.items() if v}
    if not panels:
        return None
    height = max(len(v) for v in panels.values()) * 0.25 + 1.5
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), height), squeeze=False)
    for ax, (name, values) in zip(axes[0], panels.items(), strict=True):
        _barh(ax, values, f"PHI recall by type: {name}", "recall")
    return Plot(name="deid_phi_recall_by_type", title="PHI recall by type", png=_png(fig))


def retrieval_recall(metrics: dict[str, Any]) -> Plot | None:
    """Recall@k (every k the suite reports) and MRR per search mode."""
    modes = metrics.get("modes") or {}
    keys = sorted({k for m in modes.values() for k in m if re.fullmatch(r"(recall|mrr)@\d+", k)})
    if not keys:
        return None
    fig, ax = plt.subplots(figsize=(6, 3.2))
    width = 0.8 / len(keys)
    for j, key in enumerate(keys):
        xs = [i + j * width for i in range(len(modes))]
        ax.bar(xs, [m.get(key, 0.0) for m in modes.values()], width=width, label=key)
    ax.set_xticks([i + width * (len(keys) - 1) / 2 for i in range(len(modes))], list(modes))
    ax.set_ylim(0, 1.05)
    ax.set_title("Retrieval: recall@k and MRR per search mode", fontsize=10)
    ax.legend(fontsize=8)
    return Plot(name="retrieval_recall_at_k", title="Retrieval recall@k per mode", png=_png(fig))


def timings(suites: dict[str, dict[str, Any]], seconds: dict[str, float]) -> Plot | None:
    """Wall time per suite and the per-query / per-text latencies the suites report."""
    latency: dict[str, float] = {}
    for mode, m in ((suites.get("retrieval") or {}).get("modes") or {}).items():
        if isinstance(m.get("p50_ms"), int | float):
            latency[f"retrieval {mode} p50"] = m["p50_ms"]
    pr = (suites.get("deid") or {}).get("presidio_research") or {}
    n = pr.get("n") or 0
    for engine in ("parity", "stock_presidio"):
        s = (pr.get(engine) or {}).get("seconds")
        if n and isinstance(s, int | float):
            latency[f"deid {engine} per sentence"] = round(1000 * s / n, 1)
    if not seconds and not latency:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.4))
    axes[0].barh(list(seconds), list(seconds.values()), color="#a5673b")
    axes[0].set_title("Wall time per suite (s)", fontsize=10)
    axes[0].invert_yaxis()
    axes[1].barh(list(latency), list(latency.values()), color="#5a8f4e")
    axes[1].set_title("Latency (ms)", fontsize=10)
    axes[1].invert_yaxis()
    axes[1].tick_params(axis="y", labelsize=8)
    return Plot(name="timings", title="Timings", png=_png(fig))


def fairness_invariance(metrics: dict[str, Any]) -> Plot | None:
    """Invariance rate per perturbation attribute and check."""
    by_check = metrics.get("by_check") or {}
    if not by_check:
        return None
    fig, ax = plt.subplots(figsize=(6, 3.2))
    attributes = sorted({a for c in by_check.values() for a in c})
    width = 0.8 / max(1, len(by_check))
    for j, (check, rates) in enumerate(by_check.items()):
        xs = [i + j * width for i in range(len(attributes))]
        ax.bar(xs, [rates.get(a) or 0.0 for a in attributes], width=width, label=check)
    ax.set_xticks([i + width * (len(by_check) - 1) / 2 for i in range(len(attributes))], attributes)
    ax.set_ylim(0, 1.05)
    ax.set_title("Fairness: invariance rate under perturbation", fontsize=10)
    ax.legend(fontsize=8)
    return Plot(name="fairness_invariance", title="Fairness invariance", png=_png(fig))


def all_plots(suites: dict[str, dict[str, Any]], seconds: dict[str, float]) -> list[Plot]:
    """Every plot the suites' metrics allow."""
    plots = [
        copilot_f1(suites.get("copilot") or {}),
        phi_recall(suites.get("deid") or {}),
        retrieval_recall(suites.get("retrieval") or {}),
        timings(suites, seconds),
        fairness_invariance(suites.get("fairness") or {}),
    ]
    return [p for p in plots if p is not None]
