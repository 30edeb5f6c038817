"""Writing one policy version: its passage collection first, its registry point last.

Versions are immutable: the same content again changes nothing, other content under a
stored version is refused. The registry point, written last, is the commit mark: a
version is searchable only once all its passages are stored, and a failed write removes
whatever it had written.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel
from qdrant_client import QdrantClient, models

from retrieval.chunking import chunk_sections, embedding_text
from retrieval.embeddings import Embedder
from retrieval.models import PolicyMeta, Section
from retrieval.passages import embed_passages, passage_point, sparse_indices
from retrieval.policy_layout import (
    create_passage_collection,
    registry_name,
    registry_point,
    version_collection,
    version_key,
)
from retrieval.term_stats import document_frequencies

log = logging.getLogger(__name__)
UPSERT_BATCH = 256


class PolicyConflictError(ValueError):
    """A version that is already stored with different content (versions are immutable)."""


class IngestReport(BaseModel):
    """What one ingest did."""

    payer: str
    policy_id: str
    version: str
    chunks: int
    status: Literal["added", "unchanged"]


def write_version(
    client: QdrantClient,
    collection: str,
    embedder: Embedder,
    meta: PolicyMeta,
    sections: Sequence[Section],
    progress: bool = False,
) -> IngestReport:
    """Index one policy version into the store ``collection`` on ``client``; all-or-nothing.

    Raises:
        ValueError: The document has no text sections.
        PolicyConflictError: The version is stored already with different content.
    """
    if not sections:
        raise ValueError("the document has no text sections")
    chunks = chunk_sections(meta, list(sections))
    doc_hash = hashlib.sha256("\x1e".join(c.chunk_id for c in chunks).encode()).hexdigest()
    registry = registry_name(collection)
    key = version_key(meta.tenant, meta.payer, meta.policy_id, meta.version)
    report = IngestReport(
        payer=meta.payer, policy_id=meta.policy_id, version=meta.version, chunks=len(chunks), status="added"
    )
    existing = client.retrieve(registry, [key], with_payload=["doc_hash"])
    if existing:
        if (existing[0].payload or {}).get("doc_hash") == doc_hash:
            return report.model_copy(update={"status": "unchanged"})
        raise PolicyConflictError(
            f"{meta.payer} {meta.policy_id} version {meta.version} is already stored with different "
            "content; versions are immutable: ingest it under a new version"
        )
    dense = embed_passages(embedder, [embedding_text(c) for c in chunks], progress)
    points = [passage_point(c, dense[i], doc_hash, key) for i, c in enumerate(chunks)]
    name = version_collection(collection, meta.payer, key)
    try:
        # passages an interrupted earlier ingest may have left (never registered, never searched)
        if client.collection_exists(name):
            client.delete_collection(name)
        create_passage_collection(client, name, embedder.dim)
        for start in range(0, len(points), UPSERT_BATCH):
            client.upsert(name, points=points[start : start + UPSERT_BATCH], wait=True)
        df = document_frequencies(sparse_indices(p) for p in points)
        row = registry_point(key, points[0].payload or {}, [c.chunk_id for c in chunks], df)
        client.upsert(registry, points=[row], wait=True)
    except Exception:
        # never leave a half-indexed version behind
        client.delete_collection(name)
        client.delete(registry, points_selector=models.PointIdsList(points=[key]))
        raise
    log.info("indexed %s %s v%s: %d chunks", meta.payer, meta.policy_id, meta.version, len(chunks))
    return report
