"""Base classes for Parity's Presidio recognizers.

``RegexRecognizer`` runs class-level ``PATTERNS``; a pattern may hold a named group
``v`` so that context words ("MRN:", "member id") anchor the match while only the
value itself is reported.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

ID_TOKEN = r"(?=(?:[A-Za-z\-./]*\d){3})[A-Za-z0-9][A-Za-z0-9\-./]{2,30}[A-Za-z0-9]"  # noqa: S105 - a regex, not a secret
"""An identifier-looking token: letters, digits, dashes, at least one digit."""

SPACED_DIGITS = r"\d{2,}(?:[ ]\d{2,}){1,4}"


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
        self._compiled = [(n, re.compile(p, self.FLAGS), s) for n, p, s in self.PATTERNS]

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
        for _, regex, score in self._compiled:
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
