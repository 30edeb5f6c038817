"""Moving a store of the old layout (one collection per payer, Qdrant's IDF) to the current one.

Stores written before one collection per version held each payer's passages in
``policies__<payer>``, with ``Modifier.IDF`` on the sparse vectors, and may predate the
version registry too. On open, each such collection is copied version by version into
version collections (same point ids, vectors and payloads: the sparse values were always
raw term-frequency weights), each version's document frequencies are counted and its
registry point rewritten with them, and the old collection is dropped last. A copy
interrupted halfway leaves the old collection in place and is redone on the next open.

Passages of a version the registry does not know (left by an interrupted ingest, never
searchable) are not copied. Passages without a ``doc_key`` were written before the
registry existed: their versions are registered. Both are read from the old collection,
which the move never changes, so a move redone after a crash decides the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from qdrant_client import QdrantClient, models

from retrieval.passages import sparse_indices
from retrieval.policy_layout import (
    create_passage_collection,
    is_version_collection,
    registry_point,
    scroll_pages,
    version_collection,
    version_key,
)
from retrieval.term_stats import document_frequencies

log = logging.getLogger(__name__)
PAGE = 256


@dataclass
class _Copy:
    """One version being copied: its target collection, first payload and passages seen."""

    target: str
    payload: dict[str, Any]
    ids: list[str] = field(default_factory=list)
    indices: list[list[int]] = field(default_factory=list)


def legacy_collections(client: QdrantClient, collection: str) -> list[str]:
    """Per-payer collections of the old layout in this store."""
    prefix = f"{collection}__"
    names = (c.name for c in client.get_collections().collections)
    return sorted(n for n in names if n.startswith(prefix) and not is_version_collection(n))


def migrate(client: QdrantClient, collection: str, registry: str, dim: int) -> int:
    """Move every old per-payer collection to version collections; the number of versions moved.

    Args:
        client: The store's Qdrant client.
        collection: The store's collection name stem (``policies``).
        registry: The version registry collection.
        dim: Dense vector size of the embedder.
    """
    moved = 0
    for name in legacy_collections(client, collection):
        copies = _copy_passages(client, name, collection, registry, dim)
        for key, copy in copies.items():
            df = document_frequencies(copy.indices)
            client.upsert(registry, points=[registry_point(key, copy.payload, copy.ids, df)], wait=True)
        client.delete_collection(name)
        moved += len(copies)
        log.warning("moved %d policy versions of %s to one collection per version", len(copies), name)
    return moved


def _copy_passages(
    client: QdrantClient, name: str, collection: str, registry: str, dim: int
) -> dict[str, _Copy]:
    copies: dict[str, _Copy] = {}
    skipped: set[str] = set()
    for points in scroll_pages(client, name, PAGE, with_payload=True, with_vectors=True):
        batches: dict[str, list[models.PointStruct]] = {}
        for point in points:
            pl = dict(point.payload or {})
            before_registry = "doc_key" not in pl
            key = pl.get("doc_key") or version_key(pl["tenant"], pl["payer"], pl["policy_id"], pl["version"])
            if key in skipped:
                continue
            if key not in copies:
                if not before_registry and not client.retrieve(registry, [key], with_payload=False):
                    skipped.add(key)
                    continue
                copies[key] = _start_copy(client, collection, key, pl, dim)
            pl["doc_key"] = key
            copy = copies[key]
            copy.ids.append(str(point.id))
            copy.indices.append(sparse_indices(point))
            vector = point.vector if isinstance(point.vector, dict) else {}
            batches.setdefault(copy.target, []).append(
                models.PointStruct(id=point.id, vector=vector, payload=pl)  # type: ignore[arg-type]
            )
        for target, batch in batches.items():
            client.upsert(target, points=batch, wait=True)
    if skipped:
        log.warning("%s: %d unregistered policy versions dropped", name, len(skipped))
    return copies


def _start_copy(client: QdrantClient, collection: str, key: str, payload: dict[str, Any], dim: int) -> _Copy:
    target = version_collection(collection, payload["payer"], key)
    if client.collection_exists(target):  # left by a copy interrupted earlier
        client.delete_collection(target)
    create_passage_collection(client, target, dim)
    return _Copy(target=target, payload=payload)
