"""Resolve a rule pack's policy citations to the stored passages (chunk id and text)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from assistant.copilot.models import CitationOut
from assistant.copilot.rulepacks import Citation

QUOTE_CHARS = 400


class CitationResolver:
    """Looks cited sections up in the policy store once per (payer, policy, section, date)."""

    def __init__(self, store: Any | None) -> None:
        """``store``: a :class:`retrieval.policy_store.PolicyStore`, or ``None`` (citations stay unresolved)."""
        self.store = store
        self._cache: dict[tuple[str | None, str, str, dt.date | None, str], CitationOut] = {}

    def resolve(self, citation: Citation, payer: str | None, day: dt.date | None, focus: str = "") -> CitationOut:
        """The cited passage in force on ``day``, or the bare reference.

        With ``focus`` (what the criterion asks for), the quote is the sentence or list item of
        the section that speaks to it; otherwise the section's opening. Quotes are verbatim.
        """
        key = (payer, citation.policy_id, citation.section, day, focus)
        if key not in self._cache:
            self._cache[key] = self._lookup(citation, payer, day, focus)
        return self._cache[key]

    def _lookup(self, citation: Citation, payer: str | None, day: dt.date | None, focus: str) -> CitationOut:
        out = CitationOut(policy_id=citation.policy_id, section=citation.section)
        if self.store is None:
            return out
        hits = self.store.get(citation.policy_id, citation.section, payer=payer, date=day)
        if not hits:
            return out
        latest = max(h.version for h in hits)
        parts = sorted((h for h in hits if h.version == latest), key=lambda h: h.part)
        best, quote = parts[0], None
        if focus:
            scored = [(_overlap(sentence, focus), h, sentence) for h in parts for sentence in _sentences(h.text)]
            score, hit, sentence = max(scored, key=lambda x: x[0], default=(0.0, parts[0], ""))
            if score > 0:
                best, quote = hit, sentence
        if quote is None:
            text = " ".join(best.text.split())
            quote = text if len(text) <= QUOTE_CHARS else _cut(text, QUOTE_CHARS)
        return out.model_copy(update={"chunk_id": best.chunk_id, "quote": quote})


def _cut(text: str, limit: int) -> str:
    """A verbatim prefix of ``text`` ending at a sentence (else a word) boundary within ``limit``."""
    head = text[:limit]
    end = max(head.rfind(". "), head.rfind("; "))
    return head[: end + 1] if end > limit // 3 else head.rsplit(" ", 1)[0]


_SENTENCE = re.compile(r"(?<=[.;:])\s+(?=(?:\d+\.\s+|[a-z]\)\s+)?[A-Z(])")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("the a an and or of to in for with on is are be by as at this that each must note notes its their it from".split())


def _sentences(text: str) -> list[str]:
    """Sentences and list items of a passage, verbatim (whitespace normalized)."""
    flat = " ".join(text.split())
    return [s.strip() for s in _SENTENCE.split(flat) if len(s.split()) >= 4]


def _overlap(sentence: str, focus: str) -> float:
    words = {w[:6] for w in _WORD.findall(sentence.lower()) if w not in _STOP}
    wanted = {w[:6] for w in _WORD.findall(focus.lower()) if w not in _STOP}
    return len(words & wanted) / (len(wanted) or 1)
