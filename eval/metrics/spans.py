"""Span-level de-identification metrics (type-agnostic redaction, per-type breakdown).

A gold span counts as *found* when predicted spans cover at least ``min_cover`` of
its non-space characters, whatever type they carry: for de-identification what matters
is that the identifier is gone. A predicted span is *correct* when it overlaps a gold
PHI span. F2 weighs recall twice as much as precision, as presidio-research does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A typed character span."""

    type: str
    start: int
    end: int


def coverage(gold: Span, predicted: list[Span], text: str) -> float:
    """Share of the gold span's non-space characters covered by predictions."""
    chars = [i for i in range(gold.start, gold.end) if not text[i].isspace()]
    if not chars:
        return 1.0
    covered = sum(1 for i in chars if any(p.start <= i < p.end for p in predicted))
    return covered / len(chars)


def overlaps(a: Span, b: Span) -> bool:
    """True when the spans share a character."""
    return a.start < b.end and b.start < a.end


def f_beta(p: float, r: float, beta: float) -> float:
    """F-beta of precision ``p`` and recall ``r``."""
    if p == 0 and r == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r)


@dataclass
class Tally:
    """Counts accumulated over documents."""

    tp_gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    n_gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    tp_pred: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    n_pred: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, text: str, gold: list[Span], predicted: list[Span], min_cover: float = 0.5) -> list[Span]:
        """Count one document; returns the gold spans that were missed."""
        missed = []
        for g in gold:
            self.n_gold[g.type] += 1
            if coverage(g, predicted, text) >= min_cover:
                self.tp_gold[g.type] += 1
            else:
                missed.append(g)
        for p in predicted:
            self.n_pred[p.type] += 1
            if any(overlaps(p, g) for g in gold):
                self.tp_pred[p.type] += 1
        return missed

    def summary(self, types: set[str] | None = None) -> dict[str, float | int]:
        """Overall precision, recall, F2 (recall restricted to ``types`` when given)."""
        gold_types = [t for t in self.n_gold if types is None or t in types]
        n_gold = sum(self.n_gold[t] for t in gold_types)
        tp_gold = sum(self.tp_gold[t] for t in gold_types)
        n_pred = sum(self.n_pred.values())
        tp_pred = sum(self.tp_pred.values())
        p = tp_pred / n_pred if n_pred else 1.0
        r = tp_gold / n_gold if n_gold else 1.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f2": round(f_beta(p, r, 2.0), 4),
            "gold": n_gold,
            "predicted": n_pred,
        }

    def per_type(self) -> dict[str, dict[str, float | int]]:
        """Recall per gold type and precision per predicted type."""
        out: dict[str, dict[str, float | int]] = {}
        for t in sorted(set(self.n_gold) | set(self.n_pred)):
            row: dict[str, float | int] = {}
            if self.n_gold.get(t):
                row["recall"] = round(self.tp_gold[t] / self.n_gold[t], 4)
                row["gold"] = self.n_gold[t]
            if self.n_pred.get(t):
                row["precision"] = round(self.tp_pred[t] / self.n_pred[t], 4)
                row["predicted"] = self.n_pred[t]
            out[t] = row
        return out
