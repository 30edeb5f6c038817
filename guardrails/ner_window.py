"""What the NER model reads: short windows around capitalised candidates, packed together.

spaCy's NER is the largest single cost of de-identification. It only adds value around
capitalised words that are neither sentence-initial ordinary words nor everyday words
("I", "Okay"), and its predictions depend on a few neighbouring tokens, so the model is
given ``window`` characters either side of each candidate (whole words kept) and nothing
else. 15 characters find what 40 found on every de-identification eval set (behavioral-
health notes, ASQ-PHI, presidio-research) with 45 % fewer NER tokens.

The windows are packed into one short text, each gap between them written as two spaces
(or the gap's line breaks), which the tokenizer reads as one whitespace token, as it read
the blanked run it stands for; a long run of blanks cost spaCy's tokenizer more than the
words themselves. :class:`PackedText` maps the model's spans back to offsets in the original.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from guardrails.gazetteers import first_names
from guardrails.namecheck import EVERYDAY, is_english

_CANDIDATE = re.compile(r"(?<![\w'’])[A-ZÀ-Þ][\w'’.-]*")
_ACRONYM = re.compile(r"[A-Z]{1,5}(?:-?[0-9]{1,3}[A-Z]?)?|[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,4})?|[A-Z]+[0-9]+[A-Z0-9]*")
_BOUNDARY = re.compile(r"(?:^|[.!?:;\n\"“(]\s*|\s{2,})$")


def ner_windows(text: str, window: int = 15) -> list[tuple[int, int]]:
    """The (start, end) stretches of ``text`` the NER model should read, in order, disjoint."""
    spans: list[tuple[int, int]] = []
    for m in _CANDIDATE.finditer(text):
        word = m.group().rstrip(".'’")
        if word.lower() in EVERYDAY or word == "I":
            continue
        if _ACRONYM.fullmatch(word) or text[max(0, m.start() - 1):m.start()] == "[":
            continue  # clinical acronyms and scores (PHQ-9, CBT, SI/HI), and our own placeholders
        low = word.lower()
        if _BOUNDARY.search(text[max(0, m.start() - 4):m.start()]) and is_english(low) and low not in first_names():
            continue  # sentence-initial ordinary word
        lo, hi = max(0, m.start() - window), min(len(text), m.end() + window)
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1  # never cut a word in two
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(hi, spans[-1][1]))
        else:
            spans.append((lo, hi))
    return spans


@dataclass(frozen=True)
class PackedText:
    """The NER windows of a text packed into one string, with the way back to original offsets."""

    text: str
    starts: list[int]
    """Where each window starts in :attr:`text`."""
    spans: list[tuple[int, int]]
    """Each window's (start, end) in the original text."""

    @classmethod
    def pack(cls, text: str, window: int = 15) -> PackedText:
        """Pack ``text``'s NER windows; gaps become two spaces, or their line breaks after one space."""
        parts: list[str] = []
        starts: list[int] = []
        spans = ner_windows(text, window)
        length, previous = 0, 0
        for lo, hi in spans:
            gap = text[previous:lo]
            if gap:
                breaks = gap.count("\n")
                filler = " " + "\n" * breaks if breaks else "  "
                parts.append(filler)
                length += len(filler)
            starts.append(length)
            parts.append(text[lo:hi])
            length += hi - lo
            previous = hi
        return cls("".join(parts), starts, spans)

    def original(self, start: int, end: int) -> tuple[int, int] | None:
        """Original offsets of the packed span ``[start, end)``; None when it leaves its window."""
        i = bisect_right(self.starts, start) - 1
        if i < 0:
            return None
        lo, hi = self.spans[i]
        offset = lo - self.starts[i]
        if end + offset > hi:
            return None  # reaches into a gap: the model saw text that is not there
        return start + offset, end + offset
