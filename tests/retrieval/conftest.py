"""Retrieval fixtures: Qdrant in memory and a fast deterministic embedder."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest
from qdrant_client import QdrantClient

from retrieval.policy_store import PolicyStore
from retrieval.sparse import tokens


class HashEmbedder:
    """Bag-of-words hashed into 64 dimensions: fast, deterministic, similarity-preserving."""

    name = "hash-64"
    dim = 64

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for term in tokens(text):
                out[i, int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
            if not norm:
                out[i, 0] = 1.0
        return out


@pytest.fixture
def store() -> PolicyStore:
    s = PolicyStore(QdrantClient(":memory:"), HashEmbedder())
    s.ensure()
    return s


def policy_md(
    payer: str = "lakeshore-health",
    policy_id: str = "BH-OP-12",
    version: str = "2025.1",
    effective_from: str = "2025-01-01",
    effective_to: str | None = None,
    codes: str = '["90832", "90834", "90837"]',
    body: str | None = None,
) -> bytes:
    to = f"effective_to: {effective_to}\n" if effective_to else ""
    body = body or (
        "# 1. Coverage criteria\n## 1.1 Medical necessity\nA covered diagnosis with documented symptoms.\n"
        "## 1.2 Extended sessions\n90837 requires a note on why 53 minutes or more were needed.\n"
        "# 2. Appeals\n## 2.1 Deadlines\nFile an appeal within 120 days of the denial notice.\n"
    )
    return (
        f"---\npayer: {payer}\npolicy_id: {policy_id}\ntitle: Outpatient psychotherapy {version}\n"
        f'version: "{version}"\neffective_from: {effective_from}\n{to}codes: {codes}\n---\n{body}'
    ).encode()
