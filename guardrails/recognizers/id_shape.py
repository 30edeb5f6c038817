"""Identifier-shaped tokens anywhere: long digit runs, letter-digit codes, card numbers.

In a clinical or billing document a token such as ``TRM0082215637``, ``PA25-0091877``,
``PCH 300 772 914 01`` or a 16-digit card number identifies someone whatever words
surround it. Clinical and billing codes that share the shape are excluded: CPT/HCPCS
(``90837``, ``H0031``, ``90837-95``), ICD-10 (``F33.1``), CARC/RARC (``CO-197``,
``MA130``), doses (``1000mg``), year ranges and policy ids with few digits.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers.base import RegexRecognizer

_UNITS = r"(?:mg|mcg|ml|g|kg|lb|lbs|hrs?|mins?|pm|am|st|nd|rd|th|x|yo|yrs?|hz|mmhg|iu|cc|ms|k|m|bpm|kcal)"
_EXCLUDED = [
    re.compile(r"\d{5}(?:-[A-Z0-9]{2})+"),          # CPT with modifiers
    re.compile(r"[A-Z]\d{4}(?:-[A-Z0-9]{2})*"),      # HCPCS
    re.compile(r"[A-Z]\d{2}(?:\.\w{1,4})?"),         # ICD-10
    re.compile(r"(?:CO|PR|OA|PI|CR)-?[A-Z]?\d{1,3}", re.IGNORECASE),  # CARC with group
    re.compile(r"(?:19|20)\d{2}[-/](?:19|20)?\d{2}"),  # year ranges
    re.compile(rf"\d+(?:\.\d+)?{_UNITS}", re.IGNORECASE),
    re.compile(r"\d{1,2}:\d{2}(?::\d{2})?"),
]


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


class IdShapeRecognizer(RegexRecognizer):
    """Tokens that can only be identifiers."""

    ENTITY = "ID"
    ENTITIES = ("ID", "ACCOUNT")
    FLAGS = 0
    PATTERNS = [
        # letters and digits mixed, at least 3 digits and 6 characters: TRM0082215637, 7KXR219
        ("mixed", r"(?<![\w$@./-])(?P<v>(?=[A-Za-z0-9-]{6,})(?=[A-Za-z0-9-]*[A-Za-z])(?=(?:[A-Za-z-]*\d){3})[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)(?![\w@-]|\.\d)", 0.55),
        # long digit runs (7+ digits, optionally dash-grouped): 2024354118020, 300418872
        ("digits", r"(?<![\w$@.,/-])(?P<v>\d{7,19}|\d{2,6}(?:-\d{2,8}){1,4})(?![\w@-]|[.,]\d)", 0.5),
        # a letter prefix and spaced digit groups: PCH 300 772 914 01, BPB 7720 118 04
        ("spaced", r"(?<![\w-])(?P<v>[A-Z]{2,4}(?:[ ]\d{2,5}){2,5})(?![\w-])", 0.6),
        # spaced digit groups only: 0088 4412 9037, 4454 7945 1139 0933
        ("spaced_digits", r"(?<![\w.,-])(?P<v>\d{3,5}(?:[ ]\d{2,5}){2,4})(?![\w-]|[.,]\d)", 0.5),
        # IBAN
        ("iban", r"\b(?P<v>[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?)\b", 0.7),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Drop clinical/billing code shapes, dates, phone shapes and small numbers."""
        if any(rx.fullmatch(value) for rx in _EXCLUDED):
            return False
        digits = re.sub(r"\D", "", value)
        if len(digits) < 5 and not re.search(r"[A-Za-z]", value):
            return False
        if re.fullmatch(r"\d{3}-\d{3}-\d{4}|\d{3}-\d{2}-\d{4}|\d{5}-\d{4}", value):
            return False  # phone / SSN / ZIP+4 have their own recognizers
        return not re.search(r"(?:19|20)\d{2}-\d{1,2}-\d{1,2}|\b\d{1,2}-\d{1,2}-\d{2,4}\b", value)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Card-like digit runs (13-19 digits passing Luhn) are reported as ACCOUNT."""
        results = super().analyze(text, entities, nlp_artifacts)
        for r in results:
            digits = re.sub(r"\D", "", text[r.start:r.end])
            if (13 <= len(digits) <= 19 and _luhn(digits)) or (text[r.start:r.start + 2].isalpha() and r.score == 0.7):
                r.entity_type = "ACCOUNT"
        return results

