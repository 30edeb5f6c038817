"""The payer policy store on Qdrant: ingest versions, hybrid search with hard filters.

Dense vectors (all-MiniLM-L6-v2) and sparse lexical vectors (BM25) are searched in Qdrant
(local mode and server alike) and fused with weighted reciprocal rank fusion here
(:mod:`retrieval.fusion`). Filters are hard conditions in Qdrant, never post-filters: a
payer filter cannot return another payer's text, a date returns only the versions in
force on that day, a tenant sees only its own and public policies.

Layout (:mod:`retrieval.policy_layout`): one collection per policy version and a version
registry. A search reads the versions its filters admit from the registry (the full
conditions, in Qdrant), then asks only those versions' collections for dense and sparse
candidates, one batch per collection; which collections are asked is the hard condition
on passages, so a passage of a version the filters exclude is never scored, let alone
returned. Qdrant's local mode scores every point of a collection it is asked about, so a
search pays for what it may see only. The sparse query carries the BM25 IDF of the
payer's whole corpus (:mod:`retrieval.term_stats`), so scores are those one collection per
payer gave. Results are checked against the full conditions once more before they are
returned.

A store of the old layout (one collection per payer) is moved to this one on open
(:mod:`retrieval.legacy_layout`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any, Literal

from qdrant_client import QdrantClient, models

from retrieval import legacy_layout
from retrieval.embeddings import Embedder
from retrieval.fusion import RRF_K, RRF_WEIGHTS, Candidates, fuse, search_result
from retrieval.models import PolicyMeta, SearchResult, Section
from retrieval.policy_layout import (
    OPEN_END,
    REGISTRY_BULK,
    REGISTRY_KEYWORDS,
    admissible,
    build_filter,
    create_indexes,
    is_version_collection,
    key_filter,
    payer_prefix,
    registry_name,
    scroll_pages,
    version_collection,
    version_key,
)
from retrieval.query import analyse, sparse_query
from retrieval.term_stats import TermStats
from retrieval.version_ingest import IngestReport, PolicyConflictError, write_version

__all__ = [
    "DEPTH",
    "OPEN_END",
    "RRF_K",
    "RRF_WEIGHTS",
    "Candidates",
    "IngestReport",
    "PolicyConflictError",
    "PolicyStore",
    "SearchMode",
    "admissible",
    "fuse",
    "version_key",
]

log = logging.getLogger(__name__)
DEPTH = 50  # candidates per signal
SearchMode = Literal["hybrid", "dense", "sparse"]
_result = search_result  # the name ``eval.suites.retrieval`` imports


class PolicyStore:
    """Policies in one Qdrant collection per version, and a registry of versions."""

    def __init__(self, client: QdrantClient, embedder: Embedder, collection: str = "policies") -> None:
        """Bind to a client and an embedder; call :meth:`ensure` before use."""
        self.client = client
        self.embedder = embedder
        self.collection = collection
        self.stats = TermStats(client, self.registry)
        self._registry_ready = False

    @property
    def registry(self) -> str:
        """Collection with one point per stored policy version."""
        return registry_name(self.collection)

    def collection_for(self, payer: str) -> str:
        """Name stem of one payer's version collections (its one collection in the old layout)."""
        return payer_prefix(self.collection, payer)

    def collection_of(self, row: dict[str, Any]) -> str:
        """Collection holding the passages of the version of registry row ``row``."""
        return version_collection(self.collection, row["payer"], row["doc_key"])

    def collections(self) -> list[str]:
        """Every passage collection (one per version) of this store."""
        prefix = f"{self.collection}__"
        names = (c.name for c in self.client.get_collections().collections)
        return sorted(n for n in names if n.startswith(prefix) and is_version_collection(n))

    def ensure(self, payer: str | None = None) -> None:
        """Create the version registry if missing and move a store of the old layout to this one.

        ``payer`` is accepted for callers of the per-payer layout; collections are now
        created per version at ingest.
        """
        del payer
        if self._registry_ready:
            return
        if not self.client.collection_exists(self.registry):
            self.client.create_collection(self.registry, vectors_config={})
            create_indexes(self.client, self.registry, REGISTRY_KEYWORDS)
        legacy_layout.migrate(self.client, self.collection, self.registry, self.embedder.dim)
        self._registry_ready = True

    # ---- ingestion -------------------------------------------------------------------

    def ingest(self, meta: PolicyMeta, sections: Sequence[Section], progress: bool = False) -> IngestReport:
        """Index one policy version; idempotent for identical content, all-or-nothing.

        The passages are written first and the registry point last: a version becomes
        searchable only once all of its passages are stored, and a failed write removes
        whatever it had written.
        """
        self.ensure()
        return write_version(self.client, self.collection, self.embedder, meta, sections, progress)

    # ---- search ----------------------------------------------------------------------

    build_filter = staticmethod(build_filter)

    def versions(
        self,
        payer: str | None = None,
        cpt: str | None = None,
        date: dt.date | None = None,
        tenant: str | None = None,
        policy_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Registry rows of the versions a search with these filters may see."""
        self.ensure()
        flt = build_filter(payer=payer, cpt=cpt, date=date, tenant=tenant, policy_id=policy_id)
        pages = scroll_pages(self.client, self.registry, scroll_filter=flt,
                             with_payload=models.PayloadSelectorExclude(exclude=REGISTRY_BULK))
        return [p.payload or {} for points in pages for p in points]

    def search(
        self,
        query: str,
        payer: str | None = None,
        cpt: str | None = None,
        date: dt.date | None = None,
        k: int = 5,
        tenant: str | None = None,
        mode: SearchMode = "hybrid",
    ) -> list[SearchResult]:
        """Top ``k`` passages for ``query`` under the given filters."""
        if not query.strip():
            raise ValueError("query is empty")
        found = self.candidates(
            query, payer=payer, cpt=cpt, date=date, tenant=tenant, mode=mode, depth=max(DEPTH, k * 5)
        )
        order, scores = fuse(found, fused=mode == "hybrid")
        return self.resolve(order[: k + 10], scores, k, payer=payer, cpt=cpt, date=date, tenant=tenant)

    def candidates(
        self,
        query: str,
        payer: str | None = None,
        cpt: str | None = None,
        date: dt.date | None = None,
        tenant: str | None = None,
        mode: SearchMode = "hybrid",
        depth: int = DEPTH,
    ) -> Candidates:
        """Per signal, the best ``depth`` passages over every version the filters admit."""
        rows = self.versions(payer=payer, cpt=cpt, date=date, tenant=tenant)
        payer_of = {self.collection_of(row): row["payer"] for row in rows}
        analysis = analyse(query, payers=() if payer else set(payer_of.values()))
        found = Candidates(payer_of=payer_of, preferred=set(analysis.payers))
        if not rows:
            return found
        dense = self.embedder.embed([analysis.text])[0].tolist() if mode in ("hybrid", "dense") else None
        sparse: dict[str, models.SparseVector] = {}
        if mode in ("hybrid", "sparse"):
            indices, values = sparse_query(analysis)
            population = self.stats.population(payer_of.values())
            sparse = {p: self.stats.weigh(indices, values, members) for p, members in population.items()}
        for row in rows:
            queries: dict[str, Any] = {"dense": dense, "sparse": sparse.get(row["payer"])}
            queries = {signal: vector for signal, vector in queries.items() if vector is not None}
            # the collection holds this version's passages and nothing else: no payload condition,
            # which local mode would check point by point in Python (a third of a query's cost)
            name = self.collection_of(row)
            requests = [
                models.QueryRequest(query=vector, using=signal, limit=depth, with_payload=False)
                for signal, vector in queries.items()
            ]
            for signal, response in zip(queries, self.client.query_batch_points(name, requests), strict=True):
                found.add(signal, [(p.score, name, str(p.id)) for p in response.points])
        found.cut(depth)
        return found

    def resolve(
        self,
        order: list[tuple[str, str]],
        scores: dict[tuple[str, str], float],
        k: int,
        **conditions: Any,
    ) -> list[SearchResult]:
        """Search results of the best candidates, each checked once more against the hard conditions."""
        payloads: dict[tuple[str, str], dict[str, Any]] = {}
        for name in {c[0] for c in order}:
            ids = [c[1] for c in order if c[0] == name]
            for point in self.client.retrieve(name, ids, with_payload=True):
                payloads[(name, str(point.id))] = point.payload or {}
        out: list[SearchResult] = []
        for candidate in order:
            payload = payloads.get(candidate)
            if payload is None:
                continue
            if not admissible(payload, **conditions):
                log.error("passage %s failed the search filters; the version registry is stale", candidate[1])
                continue
            out.append(search_result(payload, scores[candidate]))
            if len(out) == k:
                break
        return out

    def get(
        self,
        policy_id: str,
        section: str,
        payer: str | None = None,
        date: dt.date | None = None,
        tenant: str | None = None,
    ) -> list[SearchResult]:
        """The passages of one known section (all parts), for rule packs that cite it."""
        hits: list[SearchResult] = []
        for row in self.versions(payer=payer, date=date, tenant=tenant, policy_id=policy_id):
            flt = key_filter(row["doc_key"], section=section)
            points, _ = self.client.scroll(
                self.collection_of(row), scroll_filter=flt, limit=100, with_payload=True
            )
            hits.extend(search_result(p.payload or {}, 1.0) for p in points)
        return sorted(hits, key=lambda r: (r.version, r.chunk_id))

    def list_policies(self, tenant: str | None = None) -> list[dict[str, Any]]:
        """One row per stored policy version with its chunk count."""
        fields = (
            "tenant",
            "payer",
            "policy_id",
            "version",
            "title",
            "effective_from",
            "effective_to",
            "codes",
        )
        rows = [
            {**{f: row.get(f) for f in fields}, "chunks": row.get("chunks", 0)}
            for row in self.versions(tenant=tenant)
        ]
        return sorted(rows, key=lambda r: (r["payer"], r["policy_id"], r["version"]))

    def count(self) -> int:
        """Number of stored chunks across payers."""
        return sum(self.client.count(name).count for name in self.collections())
