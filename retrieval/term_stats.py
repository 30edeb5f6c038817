"""Corpus statistics of the sparse signal: BM25 IDF over one payer's passages, in the query.

Passages store BM25 term-frequency weights (:mod:`retrieval.sparse`); the IDF makes them
BM25. Qdrant's ``Modifier.IDF`` would compute it per collection, and a collection here
holds one policy version, so the IDF goes into the query vector instead: for a term,
``ln(1 + (N - df + 0.5) / (df + 0.5))`` (the formula Qdrant uses) with ``N`` and ``df``
summed over every stored version of the payer (all versions, all tenants), the population
one collection per payer gave. A passage's score is then exactly what Qdrant's modifier
gave on the per-payer collection, so rankings within a payer and across payers are kept.

Each version's document frequencies are counted at ingest and stored in its registry
point; versions are immutable, so they are read from Qdrant once per process and cached
by version key and content hash. Which versions a payer has is cached too, and read
again when the registry's number of versions changes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qdrant_client import QdrantClient, models

from retrieval.policy_layout import scroll_pages


def bm25_idf(df: int, n: int) -> float:
    """BM25 inverse document frequency of a term found in ``df`` of ``n`` passages (as Qdrant's)."""
    return math.log((n - df + 0.5) / (df + 0.5) + 1.0)


def document_frequencies(indices: Iterable[Sequence[int]]) -> dict[int, int]:
    """Term index -> number of passages containing it, from each passage's sparse indices."""
    counts: Counter[int] = Counter()
    for passage in indices:
        counts.update(set(passage))
    return dict(counts)


@dataclass(frozen=True)
class VersionStats:
    """Passage count and document frequencies of one policy version."""

    chunks: int
    df: dict[int, int]


@dataclass(frozen=True)
class Member:
    """One stored version of a payer, as the IDF population sees it."""

    key: str
    doc_hash: str
    chunks: int


class TermStats:
    """Per-version document frequencies, read from the registry and cached in the process."""

    def __init__(self, client: QdrantClient, registry: str) -> None:
        """Read from ``registry`` on ``client``."""
        self.client = client
        self.registry = registry
        self._cache: dict[tuple[str, str], VersionStats] = {}
        self._members: dict[str, list[Member]] = {}
        self._token = -1

    def population(self, payers: Iterable[str]) -> dict[str, list[Member]]:
        """Every stored version of each payer (all tenants, all dates): the IDF population.

        Read from the registry again whenever its number of versions changes (versions
        are only ever added; a version removed and another added between two searches
        would leave the IDF one registry change behind, never a filter).
        """
        token = self.client.count(self.registry, exact=True).count
        if token != self._token:
            self._members = self._read_population()
            self._token = token
        return {p: self._members.get(p, []) for p in set(payers)}

    def _read_population(self) -> dict[str, list[Member]]:
        out: dict[str, list[Member]] = {}
        for points in scroll_pages(self.client, self.registry, 1000, with_payload=["payer", "chunks", "doc_hash"]):
            for p in points:
                pl = p.payload or {}
                member = Member(str(p.id), str(pl.get("doc_hash")), int(pl.get("chunks") or 0))
                out.setdefault(pl["payer"], []).append(member)
        return out

    def version_stats(self, members: Sequence[Member]) -> list[VersionStats]:
        """Statistics of ``members``, read from the registry for those not cached yet."""
        missing = [m for m in members if (m.key, m.doc_hash) not in self._cache]
        if missing:
            for point in self.client.retrieve(
                self.registry, [m.key for m in missing], with_payload=["doc_hash", "df_terms", "df_counts"]
            ):
                pl = point.payload or {}
                if pl.get("df_terms") is None:
                    raise LookupError(f"policy version {point.id} has no term statistics; re-ingest it")
                chunks = next(m.chunks for m in missing if m.key == str(point.id))
                df = dict(zip(pl["df_terms"], pl["df_counts"], strict=True))
                self._cache[(str(point.id), str(pl.get("doc_hash")))] = VersionStats(chunks, df)
        return [self._cache[(m.key, m.doc_hash)] for m in members if (m.key, m.doc_hash) in self._cache]

    def weigh(
        self, indices: Sequence[int], values: Sequence[float], members: Sequence[Member]
    ) -> models.SparseVector:
        """The query vector with each term's IDF over ``members`` multiplied in."""
        stats = self.version_stats(members)
        n = sum(s.chunks for s in stats)
        weighted = [
            value * bm25_idf(sum(s.df.get(index, 0) for s in stats), n)
            for index, value in zip(indices, values, strict=True)
        ]
        return models.SparseVector(indices=list(indices), values=weighted)
