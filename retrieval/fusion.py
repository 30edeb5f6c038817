"""Fusion of the dense and sparse rankings of a search, and the search result of a passage.

A search collects, per signal, one ranking over every collection it queried (dense
cosine scores are comparable across collections; sparse scores are too, since every
version of a payer is scored with that payer's IDF) and fuses them with weighted
reciprocal rank fusion, so that passages of different versions and payers are ranked
against each other rather than interleaved collection by collection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from retrieval.models import SearchResult

# Weighted reciprocal rank fusion, score = sum over signals of weight / (RRF_K + rank), rank
# from 0, over one ranking per signal across every collection searched. Chosen by 5-fold
# cross-validation on the retrieval eval set (``python -m eval.suites.retrieval --cv``): every
# fold picks k = 5 and dense : sparse = 1 : 3 (held-out recall@5 0.987, MRR@10 0.854);
# lexical matches of codes and headings are the stronger signal on policy text.
RRF_K = 5.0
RRF_WEIGHTS = {"dense": 1.0, "sparse": 3.0}


@dataclass
class Candidates:
    """What a search found before fusion: one ranking per signal over every collection searched."""

    payer_of: dict[str, str]
    preferred: set[str] = field(default_factory=set)
    rankings: dict[str, list[tuple[float, str, str]]] = field(default_factory=dict)  # (score, collection, id)

    def add(self, signal: str, hits: list[tuple[float, str, str]]) -> None:
        """Add one collection's hits of ``signal`` to its ranking."""
        self.rankings.setdefault(signal, []).extend(hits)

    def cut(self, depth: int) -> None:
        """Order each ranking by score, best first, and keep its best ``depth``."""
        for ranked in self.rankings.values():
            ranked.sort(key=lambda hit: -hit[0])
            del ranked[depth:]


def fuse(
    found: Candidates, fused: bool = True, weights: dict[str, float] | None = None, rrf_k: float | None = None
) -> tuple[list[tuple[str, str]], dict[tuple[str, str], float]]:
    """(collection, point id) best first, and their scores: weighted RRF, or the one signal's own score.

    A payer the question names (without a payer filter) ranks ahead of the others.
    """
    weights = weights or RRF_WEIGHTS
    k = RRF_K if rrf_k is None else rrf_k
    scores: dict[tuple[str, str], float] = {}
    for signal, ranked in found.rankings.items():
        for rank, (score, name, point_id) in enumerate(ranked):
            gain = weights[signal] / (k + rank) if fused else score
            scores[(name, point_id)] = scores.get((name, point_id), 0.0) + gain
    preferred = found.preferred
    order = sorted(
        scores, key=lambda c: (bool(preferred) and found.payer_of[c[0]] not in preferred, -scores[c])
    )
    return order, scores


def search_result(payload: dict[str, Any], score: float) -> SearchResult:
    """The search result of a stored passage."""
    return SearchResult(
        chunk_id=payload["chunk_id"],
        policy_id=payload["policy_id"],
        payer=payload["payer"],
        title=payload["title"],
        version=payload["version"],
        section=payload["section"],
        section_path=payload.get("section_path") or [],
        page=payload.get("page"),
        part=int(payload.get("part") or 0),
        text=payload["text"],
        score=float(score),
        effective_from=dt.date.fromisoformat(payload["effective_from"]),
        effective_to=dt.date.fromisoformat(payload["effective_to"]) if payload.get("effective_to") else None,
    )
