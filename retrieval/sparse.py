"""Sparse lexical vectors for exact terms: codes ("90837", "CARC 50"), phrases, words.

BM25 term weights (k1 = 1.2, b = 0.75 against a typical passage length) of unigrams and
bigrams, hashed into a 2^31 index space; Qdrant multiplies in the IDF at query time
(``Modifier.IDF``), which together make BM25.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections import Counter

_TOKEN = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_STOP = frozenset(
    """
    a an and are as at be by for from has have if in into is it its of on or that the their
    this to was were will with what which who when how does do i my me we our you your can
    """.split()
)


def tokens(text: str) -> list[str]:
    """Lower-case terms; codes keep their dots and dashes and also count by their parts."""
    out: list[str] = []
    for m in _TOKEN.finditer(text.lower()):
        term = m.group()
        if term in _STOP:
            continue
        out.append(term)
        if "-" in term or "." in term:
            out.extend(p for p in re.split(r"[.-]", term) if p and p not in _STOP)
    return out


K1 = 1.2
B = 0.75
AVERAGE_TERMS = 120


def sparse_vector(text: str) -> tuple[list[int], list[float]]:
    """(indices, values) of the sparse vector of ``text``."""
    terms = tokens(text)
    grams = Counter(terms)
    grams.update(f"{a} {b}" for a, b in itertools.pairwise(terms))
    norm = K1 * (1 - B + B * len(terms) / AVERAGE_TERMS)
    weights: dict[int, float] = {}
    for term, tf in grams.items():
        index = zlib.crc32(term.encode("utf-8")) & 0x7FFFFFFF
        weights[index] = weights.get(index, 0.0) + tf * (K1 + 1) / (tf + norm)
    indices = sorted(weights)
    return indices, [weights[i] for i in indices]
