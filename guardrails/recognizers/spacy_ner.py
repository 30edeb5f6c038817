"""Names and places from the spaCy NER model (run by :class:`guardrails.deid.Deidentifier`).

Labels arrive as Presidio names them (spaCy's GPE and LOC are ``LOCATION``, ORG is
``ORGANIZATION``). The model's organisations are not used: on the behavioral-health set
they cut ORGANIZATION precision from 0.95 to 0.69 and doubled over-redaction of PHI-free
ASQ-PHI queries, while the rule recognizer already finds employers, schools and clinics.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers.base import RegexRecognizer

_LABELS = {
    "PERSON": ("PERSON", 0.75),
    "LOCATION": ("LOCATION", 0.6),
}
_HAS_LETTER = re.compile(r"[A-Za-z]{2}")


class SpacyNerRecognizer(RegexRecognizer):
    """Map spaCy entities to Parity's types; clinical vocabulary is filtered later."""

    ENTITY = "PERSON"
    ENTITIES = ("PERSON", "LOCATION")


    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Convert the document's entities."""
        if nlp_artifacts is None:
            return []
        out = []
        for ent in nlp_artifacts.entities:
            mapped = _LABELS.get(ent.label_)
            if mapped is None or not _HAS_LETTER.search(ent.text):
                continue
            start, end = ent.start_char, ent.end_char
            surface = text[start:end]
            end -= len(surface) - len(surface.rstrip())
            start += len(surface) - len(surface.lstrip())
            surface = text[start:end]
            if "\n" in surface:  # "Sarah Okafor\nSarah": two mentions, keep the first line
                end = start + surface.index("\n")
                surface = text[start:end].rstrip()
                end = start + len(surface)
            # trim possessives and leading articles spaCy includes
            if surface.endswith(("'s", "’s")):
                end -= 2
            if surface.lower().startswith("the "):
                start += 4
            if end > start:
                out.append(self.result(start, end, mapped[1], mapped[0]))
        return out
