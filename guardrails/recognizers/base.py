"""Base classes for Parity's Presidio recognizers.

``RegexRecognizer`` runs class-level ``PATTERNS``; a pattern may hold a named group
``v`` so that context words ("MRN:", "member id") anchor the match while only the
value itself is reported. A pattern an RE2 prefilter proves absent from the text is
skipped (:mod:`guardrails.recognizers.prefilter`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers.prefilter import compile_prefilter, folds_differently

ID_TOKEN = r"(?=(?:[A-Za-z\-./]*\d){3})[A-Za-z0-9][A-Za-z0-9\-./]{2,30}[A-Za-z0-9]"  # noqa: S105 - a regex, not a secret
"""An identifier-looking token: letters, digits, dashes, at least one digit."""

SPACED_DIGITS = r"\d{2,}(?:[ ]\d{2,}){1,4}"

PREFILTER_MIN_CHARS = 256
"""Shorter texts run every pattern: Python's engine is as quick as the prefilter's call there."""


def trie_regex(alternatives: str) -> str:
    """Rewrite a ``a|b|c`` alternation of plain words as a prefix trie.

    Python's regex engine tries every alternative at every position; sharing prefixes
    ("sister|sis|son" -> "s(?:is(?:ter)?|on)") makes the long word lists of the context
    patterns several times cheaper. Alternatives holding regex syntax are kept as is.
    """
    plain: list[str] = []
    special: list[str] = []
    for alt in alternatives.split("|"):
        (plain if re.fullmatch(r"[\w' -]+", alt) else special).append(alt)
    trie: dict[str, dict] = {}
    for word in plain:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    parts = ([build(trie)] if plain else []) + special
    return "|".join(p for p in parts if p)


def context(words: str) -> str:
    """Regex for context words followed by the usual id/number/# connectors."""
    return (
        rf"\b(?:{trie_regex(words)})\b\.?[^\S\n]*"
        r"(?:(?:id|ids|number|num|no|nbr|code|#)\.?[^\S\n]*){0,2}"
        r"(?:is|was|of|=|:|#|-|–)?[^\S\n]*(?:#[^\S\n]*)?(?:is[^\S\n]+|:[^\S\n]*)?"
    )


class RegexRecognizer(EntityRecognizer):
    """Regex recognizer reporting group ``v`` (or the whole match)."""

    ENTITY: ClassVar[str] = ""
    ENTITIES: ClassVar[tuple[str, ...]] = ()
    """Every type the recognizer can emit, when it is more than ``ENTITY``."""
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = []
    CONTEXT: ClassVar[list[str]] = []
    FLAGS: ClassVar[int] = re.IGNORECASE

    def __init__(self, supported_language: str = "en") -> None:
        """Compile the class's patterns."""
        super().__init__(
            supported_entities=list(self.ENTITIES or (self.ENTITY,)),
            name=type(self).__name__,
            supported_language=supported_language,
            context=self.CONTEXT or None,
        )
        self._compiled = [(n, re.compile(p, self.flags_for(n)), s) for n, p, s in self.PATTERNS]
        self._prefilters = [compile_prefilter(regex) for _, regex, _ in self._compiled]

    def flags_for(self, name: str) -> int:
        """Regex flags of the pattern called ``name`` (the class's ``FLAGS`` unless overridden)."""
        return self.FLAGS

    def active_patterns(self, text: str) -> Iterator[tuple[str, re.Pattern[str], float]]:
        """The (name, regex, score) patterns that may match ``text``: the others are proven absent."""
        filtered = len(text) >= PREFILTER_MIN_CHARS and not folds_differently(text)
        for pattern, may_match in zip(self._compiled, self._prefilters, strict=True):
            if filtered and may_match is not None and not may_match(text):
                continue
            yield pattern

    def load(self) -> None:
        """Nothing to load."""

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Return False to drop a match (override in subclasses)."""
        return True

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Find every pattern match in ``text``."""
        results: list[RecognizerResult] = []
        for _, regex, score in self.active_patterns(text):
            has_group = "v" in regex.groupindex
            for match in regex.finditer(text):
                start, end = match.span("v") if has_group else match.span()
                if start < 0 or end <= start:
                    continue
                value = text[start:end]
                if not self.validate_value(value, text, start, end):
                    continue
                results.append(self.result(start, end, score))
        return results

    def result(self, start: int, end: int, score: float, entity: str | None = None) -> RecognizerResult:
        """A result carrying this recognizer's identity (used by Presidio's enhancer)."""
        return RecognizerResult(
            entity_type=entity or self.ENTITY,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
