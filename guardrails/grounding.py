"""Grounding check: facts in a generated sentence must appear in its sources.

A fact is a number, a placeholder (``[PATIENT_1]``), a capitalised name-like word, or a
term matched by a caller-supplied clinical vocabulary (symptoms, techniques). Template
words the caller wrote itself are passed as ``allowed`` and never count as facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,:/]\d+)*(?![\w])")
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*_\d+\]")
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][a-z]{2,}\b")


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def facts(text: str, vocabulary: re.Pattern[str] | None = None) -> set[str]:
    """The checkable facts of ``text``."""
    found = {m.group(0) for m in _NUMBER.finditer(text)}
    found |= {m.group(0) for m in _PLACEHOLDER.finditer(text)}
    found |= {m.group(0) for m in _CAPITALISED.finditer(text)}
    if vocabulary is not None:
        found |= {m.group(0) for m in vocabulary.finditer(text)}
    return found


def ungrounded(
    sentence: str,
    sources: Iterable[str],
    vocabulary: re.Pattern[str] | None = None,
    allowed: Iterable[str] = (),
) -> list[str]:
    """Facts of ``sentence`` found in none of ``sources`` nor in the caller's ``allowed`` text."""
    corpus = _norm(" ".join(sources))
    allowed_text = _norm(" ".join(allowed))
    missing = []
    for fact in sorted(facts(sentence, vocabulary)):
        needle = _norm(fact)
        if needle in corpus or re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", allowed_text):
            continue
        missing.append(fact)
    return missing
