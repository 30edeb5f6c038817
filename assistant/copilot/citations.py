"""Resolve a rule pack's policy citations to the stored passages (chunk id and text)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.copilot.models import CitationOut
from assistant.copilot.rulepacks import Citation

QUOTE_CHARS = 400


class CitationResolver:
    """Looks cited sections up in the policy store once per (payer, policy, section, date)."""

    def __init__(self, store: Any | None) -> None:
        """``store``: a :class:`retrieval.policy_store.PolicyStore`, or ``None`` (citations stay unresolved)."""
        self.store = store
        self._cache: dict[tuple[str | None, str, str, dt.date | None], CitationOut] = {}

    def resolve(self, citation: Citation, payer: str | None, day: dt.date | None) -> CitationOut:
        """The cited passage in force on ``day`` (first chunk of the section), or the bare reference."""
        key = (payer, citation.policy_id, citation.section, day)
        if key not in self._cache:
            self._cache[key] = self._lookup(citation, payer, day)
        return self._cache[key]

    def _lookup(self, citation: Citation, payer: str | None, day: dt.date | None) -> CitationOut:
        out = CitationOut(policy_id=citation.policy_id, section=citation.section)
        if self.store is None:
            return out
        hits = self.store.get(citation.policy_id, citation.section, payer=payer, date=day)
        if not hits:
            return out
        latest = max(h.version for h in hits)
        first = next(h for h in hits if h.version == latest)
        text = " ".join(first.text.split())
        quote = text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
        return out.model_copy(update={"chunk_id": first.chunk_id, "quote": quote})
