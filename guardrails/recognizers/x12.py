"""Identifiers inside X12 EDI segments (835 remittance advice, 837 claims).

Segments are separated by ``~`` and elements by ``*``: names sit in NM1, addresses in
N3/N4, dates in DTM/DTP, claim ids in CLP, member and other ids in NM1/REF.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers.base import RegexRecognizer

_SEGMENT = re.compile(r"(?:^|(?<=~))\s*(?P<tag>[A-Z][A-Z0-9]{1,2})\*(?P<body>[^~]*)")
# entity type per (segment, element index); NM1 entity codes of people/places vary
_NM1_PERSON_QUALIFIERS = {"QC", "IL", "82", "74", "QD", "1P", "DK", "DN", "P3", "71", "72", "77", "GB"}


class X12Recognizer(RegexRecognizer):
    """Names, addresses, dates and ids in X12 segments."""

    ENTITY = "ID"
    ENTITIES = ("PERSON", "ADDRESS", "LOCATION", "ZIP", "DATE", "ACCOUNT", "MEMBER_ID", "ID")


    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Walk the segments of any X12 content in ``text``."""
        if "~" not in text or "*" not in text:
            return []
        out: list[RecognizerResult] = []
        for seg in _SEGMENT.finditer(text):
            tag = seg.group("tag")
            body_start = seg.start("body")
            elements = seg.group("body").split("*")
            offsets = []
            pos = body_start
            for el in elements:
                offsets.append(pos)
                pos += len(el) + 1

            def emit(
                index: int,
                entity: str,
                score: float = 0.9,
                elements: list[str] = elements,
                offsets: list[int] = offsets,
            ) -> None:
                if index < len(elements) and elements[index].strip():
                    value = elements[index]
                    start = offsets[index] + (len(value) - len(value.lstrip()))
                    out.append(self.result(start, offsets[index] + len(value.rstrip()), score, entity))

            if tag == "NM1" and elements and elements[0] in _NM1_PERSON_QUALIFIERS and len(elements) > 1 and elements[1] == "1":
                emit(2, "PERSON")
                emit(3, "PERSON")
                emit(4, "PERSON")
                if len(elements) > 8 and elements[7] in ("MI", "HN", "II", "34", "C", "N"):
                    emit(8, "MEMBER_ID")
            elif tag == "N3":
                emit(0, "ADDRESS")
                emit(1, "ADDRESS")
            elif tag == "N4":
                emit(0, "LOCATION")
                emit(2, "ZIP")
            elif tag in ("DTM", "DTP"):
                emit(len(elements) - 1, "DATE")
            elif tag == "CLP":
                emit(0, "ACCOUNT")
                emit(6, "ACCOUNT")
            elif tag == "REF" and len(elements) > 1 and elements[0] in ("EA", "1L", "1W", "SY", "6P", "9A", "9C", "CE", "F8", "G1", "EV"):
                emit(1, "ID")
            elif tag == "TRN":
                emit(1, "ID", 0.7)
        return out
