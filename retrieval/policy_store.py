"""The payer policy store on Qdrant: ingest versions, hybrid search with hard filters.

Dense vectors (all-MiniLM-L6-v2) and sparse lexical vectors are fused with reciprocal
rank fusion through Qdrant's query API (local mode and server alike). Filters are hard
conditions in Qdrant, never post-filters: a payer filter cannot return another payer's
text, a date returns only the versions in force on that day, a tenant sees only its own
and public policies.

Each payer's policies live in their own collection (``policies__<payer>``): nearly every
question names a payer, and Qdrant's local mode evaluates filters point by point in
Python, so a search only scans that payer's passages.

Every filter this store knows (payer, CPT code, date in force, tenant) is a property of a
policy *version*, not of a passage. A small registry collection (``policies_versions``,
one point per version, written after the version's passages, so it is also the commit
mark of an ingest) answers "which versions may this search see"; the passage queries
then carry one hard condition, ``doc_key`` in that set. Qdrant still applies every filter
(the registry with the full conditions, the passages by version key) and the results are
checked against the full conditions once more before they are returned.

Search asks Qdrant for dense and sparse candidates in one batch per collection and fuses
them with weighted reciprocal rank fusion here, across payers at once (one ranking per
signal over every collection searched), so that a search without a payer filter ranks
passages of different payers against each other rather than interleaving collections.
The same code runs against a Qdrant server (``PARITY_QDRANT_URL``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from qdrant_client import QdrantClient, models

from retrieval.chunking import chunk_sections, embedding_text, lexical_text
from retrieval.embeddings import Embedder
from retrieval.models import Chunk, PolicyMeta, SearchResult, Section
from retrieval.query import EXPANSION_WEIGHT, analyse
from retrieval.sparse import encode, term_weights

log = logging.getLogger(__name__)
OPEN_END = 99991231
# Weighted reciprocal rank fusion, score = sum over signals of weight / (RRF_K + rank), rank
# from 0, over one ranking per signal across every collection searched. Chosen by 5-fold
# cross-validation on the retrieval eval set (``python -m eval.suites.retrieval --cv``): every
# fold picks k = 5 and dense : sparse = 1 : 3 (held-out recall@5 0.987, MRR@10 0.854);
# lexical matches of codes and headings are the stronger signal on policy text.
RRF_K = 5.0
RRF_WEIGHTS = {"dense": 1.0, "sparse": 3.0}
DEPTH = 50  # candidates per signal and collection
ID_FILTER_LIMIT = 400  # passages of a search's versions in one collection, up to which they are listed by id
SearchMode = Literal["hybrid", "dense", "sparse"]
_VERSION_NAMESPACE = uuid.UUID("0f8e7d3a-2c4b-4e7a-9d1f-6b5a4c3d2e1f")


class PolicyConflictError(ValueError):
    """A version that is already stored with different content (versions are immutable)."""


class IngestReport(BaseModel):
    """What one ingest did."""

    payer: str
    policy_id: str
    version: str
    chunks: int
    status: Literal["added", "unchanged"]


def _day(value: dt.date | None) -> int:
    return OPEN_END if value is None else value.year * 10000 + value.month * 100 + value.day


def version_key(tenant: str, payer: str, policy_id: str, version: str) -> str:
    """Stable id of one policy version (the registry point id and the passages' ``doc_key``)."""
    return str(uuid.uuid5(_VERSION_NAMESPACE, f"{tenant}|{payer}|{policy_id}|{version}"))


def _meta_key(meta: PolicyMeta) -> str:
    return version_key(meta.tenant, meta.payer, meta.policy_id, meta.version)


def admissible(
    payload: dict[str, Any],
    payer: str | None = None,
    cpt: str | None = None,
    date: dt.date | None = None,
    tenant: str | None = None,
) -> bool:
    """Whether a stored passage or version satisfies the hard conditions of a search."""
    if payload.get("tenant") not in {"public", tenant or "public"}:
        return False
    if payer and payload.get("payer") != payer.strip().lower():
        return False
    if cpt and cpt.strip().upper() not in (payload.get("codes") or []):
        return False
    if date is not None:
        day = _day(date)
        return (
            int(payload.get("effective_from_day", OPEN_END)) <= day <= int(payload.get("effective_to_day", 0))
        )
    return True


@dataclass
class Candidates:
    """What a search found before fusion: one ranking per signal over every collection searched."""

    payer_of: dict[str, str]
    preferred: set[str] = field(default_factory=set)
    rankings: dict[str, list[tuple[float, str, str]]] = field(default_factory=dict)  # (score, collection, id)


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


class PolicyStore:
    """Policies in one Qdrant collection per payer, and a registry of versions."""

    def __init__(self, client: QdrantClient, embedder: Embedder, collection: str = "policies") -> None:
        """Bind to a client and an embedder; call :meth:`ensure` before use."""
        self.client = client
        self.embedder = embedder
        self.collection = collection
        self._registry_ready = False

    @property
    def registry(self) -> str:
        """Collection with one point per stored policy version."""
        return f"{self.collection}_versions"

    def collection_for(self, payer: str) -> str:
        """Collection holding one payer's policies."""
        return f"{self.collection}__{payer.strip().lower()}"

    def collections(self) -> list[str]:
        """Every payer collection of this store."""
        prefix = f"{self.collection}__"
        return sorted(c.name for c in self.client.get_collections().collections if c.name.startswith(prefix))

    def ensure(self, payer: str | None = None) -> None:
        """Create the version registry and a payer's collection (with payload indexes) if missing."""
        self._ensure_registry()
        if payer is None:
            return
        name = self.collection_for(payer)
        if self.client.collection_exists(name):
            return
        self.client.create_collection(
            name,
            vectors_config={
                "dense": models.VectorParams(size=self.embedder.dim, distance=models.Distance.COSINE)
            },
            sparse_vectors_config={"sparse": models.SparseVectorParams(modifier=models.Modifier.IDF)},
        )
        self._create_indexes(name, ("doc_key", "payer", "policy_id", "version", "codes", "tenant", "section"))

    def _create_indexes(self, name: str, keywords: Sequence[str]) -> None:
        if _is_local(self.client):  # local mode ignores payload indexes
            return
        for key in keywords:
            self.client.create_payload_index(name, key, field_schema=models.PayloadSchemaType.KEYWORD)
        for key in ("effective_from_day", "effective_to_day"):
            self.client.create_payload_index(name, key, field_schema=models.PayloadSchemaType.INTEGER)

    def _ensure_registry(self) -> None:
        if self._registry_ready:
            return
        if not self.client.collection_exists(self.registry):
            self.client.create_collection(self.registry, vectors_config={})
            self._create_indexes(self.registry, ("payer", "policy_id", "version", "codes", "tenant"))
            self._register_existing()
        self._registry_ready = True

    def _register_existing(self) -> None:
        """Register the versions of a store written before the registry existed (one-off)."""
        for name in self.collections():
            groups: dict[str, tuple[dict[str, Any], list[str]]] = {}
            for point in self._scroll(name, None, with_payload=True):
                pl = point.payload or {}
                key = version_key(pl["tenant"], pl["payer"], pl["policy_id"], pl["version"])
                groups.setdefault(key, (pl, []))[1].append(str(point.id))
            for key, (pl, ids) in groups.items():
                self.client.set_payload(
                    name, {"doc_key": key}, points=models.PointIdsList(points=list(ids)), wait=True
                )
                self.client.upsert(self.registry, points=[_registry_point(key, pl, ids)], wait=True)
            if groups:
                log.info("registered %d existing policy versions of %s", len(groups), name)

    # ---- ingestion -------------------------------------------------------------------

    def _key_filter(self, keys: Iterable[str]) -> models.Filter:
        return models.Filter(
            must=[models.FieldCondition(key="doc_key", match=models.MatchAny(any=sorted(keys)))]
        )

    def ingest(self, meta: PolicyMeta, sections: Sequence[Section], progress: bool = False) -> IngestReport:
        """Index one policy version; idempotent for identical content, all-or-nothing.

        The passages are written first and the registry point last: a version becomes
        searchable only once all of its passages are stored, and a failed write removes
        whatever it had written.
        """
        if not sections:
            raise ValueError("the document has no text sections")
        chunks = chunk_sections(meta, list(sections))
        doc_hash = hashlib.sha256("\x1e".join(c.chunk_id for c in chunks).encode()).hexdigest()
        self.ensure(meta.payer)
        name = self.collection_for(meta.payer)
        key = _meta_key(meta)
        existing = self.client.retrieve(self.registry, [key], with_payload=["doc_hash"])
        if existing:
            if (existing[0].payload or {}).get("doc_hash") == doc_hash:
                return IngestReport(
                    payer=meta.payer,
                    policy_id=meta.policy_id,
                    version=meta.version,
                    chunks=len(chunks),
                    status="unchanged",
                )
            raise PolicyConflictError(
                f"{meta.payer} {meta.policy_id} version {meta.version} is already stored with different "
                "content; versions are immutable: ingest it under a new version"
            )
        dense = self._embed([embedding_text(c) for c in chunks], progress)
        points = [self._point(c, dense[i], doc_hash, key) for i, c in enumerate(chunks)]
        try:
            # passages an interrupted earlier ingest may have left (never registered, never searched)
            self.client.delete(name, points_selector=models.FilterSelector(filter=self._key_filter([key])))
            for start in range(0, len(points), 256):
                self.client.upsert(name, points=points[start : start + 256], wait=True)
            payload = {**points[0].payload} if points[0].payload else {}
            point = _registry_point(key, payload, [c.chunk_id for c in chunks])
            self.client.upsert(self.registry, points=[point], wait=True)
        except Exception:
            # never leave a half-indexed version behind
            self.client.delete(name, points_selector=models.FilterSelector(filter=self._key_filter([key])))
            self.client.delete(self.registry, points_selector=models.PointIdsList(points=[key]))
            raise
        log.info("indexed %s %s v%s: %d chunks", meta.payer, meta.policy_id, meta.version, len(chunks))
        return IngestReport(
            payer=meta.payer,
            policy_id=meta.policy_id,
            version=meta.version,
            chunks=len(chunks),
            status="added",
        )

    def _embed(self, texts: list[str], progress: bool) -> Any:
        import numpy as np
        from tqdm import tqdm

        batch = 64
        parts = []
        for start in tqdm(
            range(0, len(texts), batch),
            desc="embedding",
            unit="batch",
            disable=not progress or len(texts) < 200,
        ):
            parts.append(self.embedder.embed(texts[start : start + batch]))
        return np.concatenate(parts) if parts else np.zeros((0, self.embedder.dim), dtype=np.float32)

    def _point(self, chunk: Chunk, vector: Any, doc_hash: str, key: str) -> models.PointStruct:
        indices, values = encode(term_weights(lexical_text(chunk)))
        m = chunk.meta
        payload = {
            "chunk_id": chunk.chunk_id,
            "doc_key": key,
            "tenant": m.tenant,
            "payer": m.payer,
            "plan": m.plan,
            "policy_id": m.policy_id,
            "title": m.title,
            "version": m.version,
            "effective_from": m.effective_from.isoformat(),
            "effective_to": m.effective_to.isoformat() if m.effective_to else None,
            "effective_from_day": _day(m.effective_from),
            "effective_to_day": _day(m.effective_to),
            "codes": m.codes,
            "state": m.state,
            "source": m.source,
            "section": chunk.section,
            "section_path": chunk.section_path,
            "page": chunk.page,
            "part": chunk.part,
            "text": chunk.text,
            "doc_hash": doc_hash,
        }
        return models.PointStruct(
            id=chunk.chunk_id,
            vector={"dense": vector.tolist(), "sparse": models.SparseVector(indices=indices, values=values)},
            payload=payload,
        )

    # ---- search ----------------------------------------------------------------------

    @staticmethod
    def build_filter(
        payer: str | None = None,
        cpt: str | None = None,
        date: dt.date | None = None,
        tenant: str | None = None,
        policy_id: str | None = None,
        section: str | None = None,
    ) -> models.Filter:
        """Hard conditions for a search, the most selective first (local mode stops at the first miss)."""
        must: list[models.Condition] = []
        if payer:
            must.append(
                models.FieldCondition(key="payer", match=models.MatchValue(value=payer.strip().lower()))
            )
        if policy_id:
            must.append(models.FieldCondition(key="policy_id", match=models.MatchValue(value=policy_id)))
        if section:
            must.append(models.FieldCondition(key="section", match=models.MatchValue(value=section)))
        if cpt:
            must.append(
                models.FieldCondition(key="codes", match=models.MatchValue(value=cpt.strip().upper()))
            )
        if date:
            day = _day(date)
            must.append(models.FieldCondition(key="effective_from_day", range=models.Range(lte=day)))
            must.append(models.FieldCondition(key="effective_to_day", range=models.Range(gte=day)))
        must.append(
            models.FieldCondition(
                key="tenant", match=models.MatchAny(any=sorted({"public", tenant or "public"}))
            )
        )
        return models.Filter(must=must)

    def versions(
        self,
        payer: str | None = None,
        cpt: str | None = None,
        date: dt.date | None = None,
        tenant: str | None = None,
        policy_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Registry rows of the versions a search with these filters may see."""
        self._ensure_registry()
        flt = self.build_filter(payer=payer, cpt=cpt, date=date, tenant=tenant, policy_id=policy_id)
        rows = self._scroll(
            self.registry, flt, with_payload=models.PayloadSelectorExclude(exclude=["chunk_ids"])
        )
        return [p.payload or {} for p in rows]

    def _passage_filters(self, rows: list[dict[str, Any]]) -> dict[str, models.Filter]:
        """Per payer collection, the hard condition that admits exactly the passages of ``rows``.

        A short list of passage ids when the versions are small (local mode checks an id
        against a set, several times faster than reading a payload field), else the
        versions' keys.
        """
        keys: dict[str, list[str]] = {}
        size: dict[str, int] = {}
        for row in rows:
            name = self.collection_for(row["payer"])
            keys.setdefault(name, []).append(row["doc_key"])
            size[name] = size.get(name, 0) + int(row.get("chunks") or 0)
        small = [key for name, group in keys.items() if size[name] <= ID_FILTER_LIMIT for key in group]
        ids: dict[str, list[str]] = {}
        for point in (
            self.client.retrieve(self.registry, small, with_payload=["payer", "chunk_ids"]) if small else []
        ):
            pl = point.payload or {}
            ids.setdefault(self.collection_for(pl["payer"]), []).extend(pl.get("chunk_ids") or [])
        return {
            name: models.Filter(must=[models.HasIdCondition(has_id=sorted(ids[name]))])
            if size[name] <= ID_FILTER_LIMIT and name in ids
            else self._key_filter(group)
            for name, group in keys.items()
        }

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
        """Per signal, the best ``depth`` passages over every collection the filters admit."""
        rows = self.versions(payer=payer, cpt=cpt, date=date, tenant=tenant)
        payer_of = {self.collection_for(row["payer"]): row["payer"] for row in rows}
        analysis = analyse(query, payers=() if payer else set(payer_of.values()))
        found = Candidates(payer_of=payer_of, preferred=set(analysis.payers))
        if not rows:
            return found
        queries: dict[str, Any] = {}
        if mode in ("hybrid", "dense"):
            queries["dense"] = self.embedder.embed([analysis.text])[0].tolist()
        if mode in ("hybrid", "sparse"):
            weights = term_weights(analysis.text)
            for term, weight in term_weights(analysis.expansion).items():
                weights[term] = max(weights.get(term, 0.0), EXPANSION_WEIGHT * weight)
            indices, values = encode(weights)
            queries["sparse"] = models.SparseVector(indices=indices, values=values)
        found.rankings = {signal: [] for signal in queries}
        for name, flt in self._passage_filters(rows).items():
            requests = [
                models.QueryRequest(query=vector, using=signal, filter=flt, limit=depth, with_payload=False)
                for signal, vector in queries.items()
            ]
            for signal, response in zip(queries, self.client.query_batch_points(name, requests), strict=True):
                found.rankings[signal].extend((p.score, name, str(p.id)) for p in response.points)
        for ranked in found.rankings.values():
            ranked.sort(key=lambda hit: -hit[0])
            del ranked[depth:]
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
            out.append(_result(payload, scores[candidate]))
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
        keys: dict[str, list[str]] = {}
        for row in self.versions(payer=payer, date=date, tenant=tenant, policy_id=policy_id):
            keys.setdefault(self.collection_for(row["payer"]), []).append(row["doc_key"])
        for name, version_keys in keys.items():
            flt = self._key_filter(version_keys)
            flt.must = [
                models.FieldCondition(key="section", match=models.MatchValue(value=section)),
                *(flt.must or []),
            ]  # type: ignore[misc]
            points, _ = self.client.scroll(name, scroll_filter=flt, limit=100, with_payload=True)
            hits.extend(_result(p.payload or {}, 1.0) for p in points)
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

    def _scroll(
        self, name: str, flt: models.Filter | None, with_payload: bool | models.PayloadSelectorExclude
    ) -> list[models.Record]:
        out: list[models.Record] = []
        offset = None
        while True:
            points, offset = self.client.scroll(
                name, scroll_filter=flt, limit=256, offset=offset, with_payload=with_payload
            )
            out.extend(points)
            if offset is None:
                return out


def _registry_point(key: str, payload: dict[str, Any], chunk_ids: list[str]) -> models.PointStruct:
    fields = (
        "tenant",
        "payer",
        "plan",
        "policy_id",
        "title",
        "version",
        "effective_from",
        "effective_to",
        "effective_from_day",
        "effective_to_day",
        "codes",
        "state",
        "source",
        "doc_hash",
    )
    return models.PointStruct(
        id=key,
        vector={},
        payload={
            **{f: payload.get(f) for f in fields},
            "doc_key": key,
            "chunks": len(chunk_ids),
            "chunk_ids": chunk_ids,
        },
    )


def _result(payload: dict[str, Any], score: float) -> SearchResult:
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


def _is_local(client: QdrantClient) -> bool:
    inner = getattr(client, "_client", None)
    return type(inner).__name__ == "QdrantLocal"
