"""Map offsets in pseudonymized text back to the text the user sent."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass
class OffsetMap:
    """Replaced spans as (original start, original end, new start, new end), in order."""

    spans: list[tuple[int, int, int, int]] = field(default_factory=list)

    @classmethod
    def from_replacements(cls, replacements: list[tuple[int, int, str]]) -> OffsetMap:
        """Build from ``(start, end, placeholder)`` triples of the original text, sorted by start."""
        spans = []
        shift = 0
        for start, end, placeholder in replacements:
            new_start = start + shift
            spans.append((start, end, new_start, new_start + len(placeholder)))
            shift += len(placeholder) - (end - start)
        return cls(spans)

    def to_original(self, position: int, *, is_end: bool) -> int:
        """The original offset of ``position`` (a placeholder maps to the whole original span)."""
        idx = bisect.bisect_right([s[2] for s in self.spans], position) - 1
        if idx < 0:
            return position
        o_start, o_end, n_start, n_end = self.spans[idx]
        if position < n_end or (position == n_end and not is_end and position == n_start):
            return o_end if is_end and position > n_start else o_start
        return o_end + (position - n_end)
