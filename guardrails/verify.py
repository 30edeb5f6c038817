"""Grounding verifier for drafted sentences: each one must be supported by the lines it cites.

Two tests, both against the cited lines only:

1. **Facts** — every number, placeholder, capitalised name, medication and clinical term of
   the sentence appears in the cited lines (template words the caller wrote are exempt).
2. **Overlap** — enough of the sentence's content words appear there (a calibrated share;
   pronouns turned to the third person count as the client's own words).

A sentence that fails either is removed from the draft and reported with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from guardrails.grounding import ungrounded

DEFAULT_MIN_OVERLAP = 0.5
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
_STOP = frozenset(
    "a an and are as at be been being but by can could did do does for from had has have he her him his i if in into is it "
    "its just like me my no not of on or our she so than that the their them themselves they they'd they'll they're "
    "they've this to up was we were what when which who will with would you your client client's reported said "
    "described session".split()
)


class Verdict(BaseModel):
    """Whether a sentence is supported, and why not."""

    supported: bool
    reason: str = ""
    overlap: float = 1.0


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_words(text: str, exempt: Iterable[str] = ()) -> set[str]:
    """Lower-cased content words (stemmed), minus stop words and the caller's template words."""
    skip = {_stem(w) for t in exempt for w in _WORD.findall(t.lower())}
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and _stem(w) not in skip}


def verify_sentence(
    sentence: str,
    cited: str,
    vocabulary: re.Pattern[str] | None = None,
    template_words: Iterable[str] = (),
    min_overlap: float = DEFAULT_MIN_OVERLAP,
) -> Verdict:
    """Check ``sentence`` against the text of the lines it cites."""
    if not cited.strip():
        return Verdict(supported=False, reason="cites no transcript line", overlap=0.0)
    template = list(template_words)
    missing = ungrounded(sentence, [cited], vocabulary, allowed=template)
    if missing:
        return Verdict(supported=False, reason=f"not in the cited lines: {', '.join(missing[:5])}", overlap=0.0)
    words = content_words(sentence, template)
    if not words:
        return Verdict(supported=True)
    source = content_words(cited)
    overlap = len(words & source) / len(words)
    if overlap < min_overlap:
        return Verdict(supported=False, reason=f"only {overlap:.0%} of its words appear in the cited lines", overlap=overlap)
    return Verdict(supported=True, overlap=overlap)
