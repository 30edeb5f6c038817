"""Where policy passages live in Qdrant, and the hard conditions every search applies.

One collection per policy *version* (``policies__<payer>__<version key>``) and a registry
collection (``policies_versions``) with one point per version. Every filter this store
knows (payer, CPT code, date in force, tenant, policy id) is a property of a version, so
the registry answers "which versions may this search see" with the full conditions
inside Qdrant, and a search then queries only those versions' collections (a collection
holds one version's passages and nothing else, so it needs no payload condition of its
own, which local mode would check point by point in Python). Qdrant's local mode scores
every point of a collection before it applies a filter, so a search costs what it may
see, not what the store holds.

The registry point of a version is written after its passages and carries the version's
document frequencies (see :mod:`retrieval.term_stats`): it is the commit mark of an ingest.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from typing import Any

from qdrant_client import QdrantClient, models

OPEN_END = 99991231
_VERSION_NAMESPACE = uuid.UUID("0f8e7d3a-2c4b-4e7a-9d1f-6b5a4c3d2e1f")
_VERSION_SUFFIX = re.compile(r"__[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# registry payload fields a version's rows are read without (large, read only on demand)
REGISTRY_BULK = ["chunk_ids", "df_terms", "df_counts"]
KEYWORD_FIELDS = ("doc_key", "payer", "policy_id", "version", "codes", "tenant", "section")
REGISTRY_KEYWORDS = ("payer", "policy_id", "version", "codes", "tenant")
_REGISTRY_FIELDS = (
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


def day_number(value: dt.date | None) -> int:
    """A date as ``yyyymmdd`` (an open end as 9999-12-31), the form range conditions compare."""
    return OPEN_END if value is None else value.year * 10000 + value.month * 100 + value.day


def version_key(tenant: str, payer: str, policy_id: str, version: str) -> str:
    """Stable id of one policy version (the registry point id and the passages' ``doc_key``)."""
    return str(uuid.uuid5(_VERSION_NAMESPACE, f"{tenant}|{payer}|{policy_id}|{version}"))


def registry_name(collection: str) -> str:
    """The version registry of the store ``collection``."""
    return f"{collection}_versions"


def payer_prefix(collection: str, payer: str) -> str:
    """Name stem of one payer's collections (the whole name of a payer collection of old)."""
    return f"{collection}__{payer.strip().lower()}"


def version_collection(collection: str, payer: str, key: str) -> str:
    """Collection holding the passages of one policy version."""
    return f"{payer_prefix(collection, payer)}__{key}"


def is_version_collection(name: str) -> bool:
    """Whether ``name`` is a version collection (not a per-payer collection of the old layout)."""
    return _VERSION_SUFFIX.search(name) is not None


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
        day = day_number(date)
        return (
            int(payload.get("effective_from_day", OPEN_END)) <= day <= int(payload.get("effective_to_day", 0))
        )
    return True


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
        must.append(models.FieldCondition(key="payer", match=models.MatchValue(value=payer.strip().lower())))
    if policy_id:
        must.append(models.FieldCondition(key="policy_id", match=models.MatchValue(value=policy_id)))
    if section:
        must.append(models.FieldCondition(key="section", match=models.MatchValue(value=section)))
    if cpt:
        must.append(models.FieldCondition(key="codes", match=models.MatchValue(value=cpt.strip().upper())))
    if date:
        day = day_number(date)
        must.append(models.FieldCondition(key="effective_from_day", range=models.Range(lte=day)))
        must.append(models.FieldCondition(key="effective_to_day", range=models.Range(gte=day)))
    must.append(
        models.FieldCondition(key="tenant", match=models.MatchAny(any=sorted({"public", tenant or "public"})))
    )
    return models.Filter(must=must)


def key_filter(key: str, section: str | None = None) -> models.Filter:
    """The hard condition admitting one version's passages (and optionally one section of it)."""
    must: list[models.Condition] = []
    if section is not None:
        must.append(models.FieldCondition(key="section", match=models.MatchValue(value=section)))
    must.append(models.FieldCondition(key="doc_key", match=models.MatchValue(value=key)))
    return models.Filter(must=must)


def registry_point(
    key: str, payload: dict[str, Any], chunk_ids: list[str], df: dict[int, int]
) -> models.PointStruct:
    """The registry point of a version: its filterable fields, passages and document frequencies."""
    terms = sorted(df)
    return models.PointStruct(
        id=key,
        vector={},
        payload={
            **{f: payload.get(f) for f in _REGISTRY_FIELDS},
            "doc_key": key,
            "chunks": len(chunk_ids),
            "chunk_ids": chunk_ids,
            "df_terms": terms,
            "df_counts": [df[t] for t in terms],
        },
    )


def create_passage_collection(client: QdrantClient, name: str, dim: int) -> None:
    """A collection for passages: cosine dense vectors and plain sparse vectors.

    The sparse vectors hold BM25 term-frequency weights; the IDF goes into the query
    vector (:mod:`retrieval.term_stats`), computed over the payer's whole corpus, which
    no single version collection could give Qdrant's ``Modifier.IDF``.
    """
    client.create_collection(
        name,
        vectors_config={"dense": models.VectorParams(size=dim, distance=models.Distance.COSINE)},
        sparse_vectors_config={"sparse": models.SparseVectorParams()},
    )
    create_indexes(client, name, KEYWORD_FIELDS)


def create_indexes(client: QdrantClient, name: str, keywords: tuple[str, ...]) -> None:
    """Payload indexes for the filtered fields (a server uses them; local mode ignores them)."""
    if is_local(client):
        return
    for key in keywords:
        client.create_payload_index(name, key, field_schema=models.PayloadSchemaType.KEYWORD)
    for key in ("effective_from_day", "effective_to_day"):
        client.create_payload_index(name, key, field_schema=models.PayloadSchemaType.INTEGER)


def is_local(client: QdrantClient) -> bool:
    """Whether ``client`` is Qdrant's embedded local mode (in memory or on disk)."""
    inner = getattr(client, "_client", None)
    return type(inner).__name__ == "QdrantLocal"


def scroll_pages(client: QdrantClient, name: str, page: int = 256, **options: Any) -> Iterator[list[models.Record]]:
    """Every point of collection ``name``, a page of at most ``page`` at a time (``options`` go to ``scroll``)."""
    offset = None
    while True:
        points, offset = client.scroll(name, limit=page, offset=offset, **options)
        yield points
        if offset is None:
            return
