"""Qdrant points of policy passages: dense embedding, sparse term weights, payload."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from qdrant_client import models

from retrieval.chunking import lexical_text
from retrieval.embeddings import Embedder
from retrieval.models import Chunk
from retrieval.policy_layout import day_number
from retrieval.sparse import encode, term_weights

EMBED_BATCH = 64


def embed_passages(embedder: Embedder, texts: Sequence[str], progress: bool = False) -> np.ndarray:
    """Dense vectors of ``texts`` in batches (a progress bar for long documents when asked)."""
    from tqdm import tqdm

    parts = [
        embedder.embed(list(texts[start : start + EMBED_BATCH]))
        for start in tqdm(
            range(0, len(texts), EMBED_BATCH),
            desc="embedding",
            unit="batch",
            disable=not progress or len(texts) < 200,
        )
    ]
    return np.concatenate(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)


def passage_point(chunk: Chunk, vector: Any, doc_hash: str, key: str) -> models.PointStruct:
    """The point of one passage of version ``key``: both vectors and the filterable payload."""
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
        "effective_from_day": day_number(m.effective_from),
        "effective_to_day": day_number(m.effective_to),
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


def sparse_indices(point: models.PointStruct | models.Record) -> list[int]:
    """Term indices of a point's sparse vector (none if it has none)."""
    vectors = point.vector if isinstance(point.vector, dict) else {}
    sparse = vectors.get("sparse")
    return list(sparse.indices) if isinstance(sparse, models.SparseVector) else []
