"""Sparse lexical vectors for exact terms: codes ("90837", "CARC 50"), phrases, words.

BM25 term weights (k1 = 1.2, b = 0.75 against a typical passage length) of unigrams and
of the bigrams that carry a code or number ("carc 50", "pos 10", "modifier 95"), hashed
into a 2^31 index space; the query vector carries the IDF of the payer's corpus
(:mod:`retrieval.term_stats`), which together make BM25. Words are reduced to a light
stem ("changes", "changed" -> "chang"), so a question's inflection does not decide
whether a heading matches.

Word-only bigrams are left out: on the retrieval eval set they add nothing to recall, and
they double the non-zeros that Qdrant's local mode multiplies point by point in Python.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections import Counter
from collections.abc import Mapping

_TOKEN = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_STOP = frozenset(
    """
    a an and are as at be by for from has have if in into is it its of on or that the their
    this to was were will with what which who when how does do i my me we our you your can
    """.split()
)
# longest suffix first; a stem keeps at least three letters
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "ly", "s")


def stem(word: str) -> str:
    """A light English stem of a lower-case word; codes and numbers are kept as written."""
    if not word.isalpha() or len(word) <= 3:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def tokens(text: str) -> list[str]:
    """Lower-case stemmed terms; codes keep their dots and dashes and also count by their parts."""
    out: list[str] = []
    for m in _TOKEN.finditer(text.lower()):
        term = m.group()
        if term in _STOP:
            continue
        out.append(stem(term))
        if "-" in term or "." in term:
            out.extend(p for p in re.split(r"[.-]", term) if p and p not in _STOP)
    return out


K1 = 1.2
B = 0.75
AVERAGE_TERMS = 120


def _has_digit(term: str) -> bool:
    return any(ch.isdigit() for ch in term)


def term_weights(text: str) -> dict[str, float]:
    """BM25 term-frequency weights of the unigrams and code-carrying bigrams of ``text``."""
    terms = tokens(text)
    grams = Counter(terms)
    grams.update(f"{a} {b}" for a, b in itertools.pairwise(terms) if _has_digit(a) or _has_digit(b))
    norm = K1 * (1 - B + B * len(terms) / AVERAGE_TERMS)
    return {term: tf * (K1 + 1) / (tf + norm) for term, tf in grams.items()}


def term_index(term: str) -> int:
    """Index of a term in the hashed sparse space."""
    return zlib.crc32(term.encode("utf-8")) & 0x7FFFFFFF


def encode(weights: Mapping[str, float]) -> tuple[list[int], list[float]]:
    """(indices, values) of a sparse vector from term weights (hash collisions add up)."""
    merged: dict[int, float] = {}
    for term, weight in weights.items():
        index = term_index(term)
        merged[index] = merged.get(index, 0.0) + weight
    indices = sorted(merged)
    return indices, [merged[i] for i in indices]


def sparse_vector(text: str) -> tuple[list[int], list[float]]:
    """(indices, values) of the sparse vector of ``text``."""
    return encode(term_weights(text))
