"""The numpy MiniLM encoder reproduces sentence-transformers' vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from retrieval.embeddings import default_embedder

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "minilm_reference.json"


def test_matches_sentence_transformers_reference_vectors() -> None:
    ref = json.loads(REFERENCE.read_text())
    got = default_embedder().embed(ref["texts"])
    expected = np.array(ref["vectors"], dtype=np.float32)
    assert got.shape == (len(ref["texts"]), 384)
    assert np.allclose((got * expected).sum(1), 1.0, atol=1e-4)
    assert np.abs(got - expected).max() < 1e-4


def test_similar_questions_are_closer_than_unrelated_ones() -> None:
    a, b, c = default_embedder().embed(
        [
            "How many days do I have to file an appeal?",
            "What is the deadline for submitting an appeal?",
            "Which modifier is used for audio-only telehealth?",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2
