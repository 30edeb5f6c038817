"""What a detector returns, and the small text helpers detectors share."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from assistant.copilot.segments import Segment

Status = Literal["met", "partial", "missing"]
_RANK = {"missing": 0, "partial": 1, "met": 2}


@dataclass
class Finding:
    """A detector's decision for one element, with the segments that support it."""

    status: Status
    segments: list[Segment] = field(default_factory=list)
    reason: str = ""
    layer: str = "pattern"

    @classmethod
    def missing(cls, reason: str = "not found in the note") -> Finding:
        """Nothing in the note meets the element."""
        return cls("missing", [], reason)


def best(*findings: Finding) -> Finding:
    """The strongest of several findings (met > partial > missing); evidence of equals is pooled."""
    top = max(findings, key=lambda f: _RANK[f.status])
    pooled = [s for f in findings if f.status == top.status for s in f.segments]
    return Finding(top.status, unique(pooled), top.reason, top.layer)


def unique(segments: Iterable[Segment]) -> list[Segment]:
    """Segments once each, in note order."""
    return sorted({(s.start, s.end): s for s in segments}.values(), key=lambda s: s.start)


def rx(*alternatives: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One case-insensitive pattern matching any alternative as whole words."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w])", flags)


NEGATION = rx(
    r"den(?:y|ies|ied|ying)", r"no", r"not", r"never", r"without", r"negative\s+for", r"free\s+of",
    r"absence\s+of", r"none", r"nor", r"n't",
)
_SCOPE_BREAK = re.compile(r"\b(?:but|however|although|though|except|yet)\b|[;:]|,\s+(?:and\s+)?(?:reports?|endorses?|with)\b", re.IGNORECASE)


def negated(text: str, position: int, window: int = 45) -> bool:
    """Whether the word at ``position`` sits in the scope of a preceding negation cue."""
    before = text[max(0, position - window):position]
    breaks = list(_SCOPE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    return bool(NEGATION.search(before))


def positive_matches(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str], ...]:
    """Matches of ``pattern`` in ``text`` that are not negated (cached: notes are re-checked on every edit)."""
    return _positive_matches(pattern, text)


@lru_cache(maxsize=65536)
def _positive_matches(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str], ...]:
    return tuple(m for m in pattern.finditer(text) if not negated(text, m.start()))
