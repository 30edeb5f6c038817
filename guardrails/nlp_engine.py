"""The NER side of the analyzer: spaCy loaded from its package, entities read without lemmas.

:class:`PackagedSpacyNlpEngine` runs the model on the packed NER windows of a text
(:mod:`guardrails.ner_window`) and hands recognizers its entities at offsets of the
original text; :class:`RegexContextEnhancer` turns off Presidio's lemma-based context boost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

from guardrails.ner_window import PackedText


class PackagedSpacyNlpEngine(SpacyNlpEngine):
    """spaCy engine loading a pip-installed model package with unused pipes excluded."""

    def __init__(self, model: str, exclude: list[str]) -> None:
        """Remember the model package and the pipes to leave out."""
        # spaCy labels that are not identifiers are dropped here (Presidio would otherwise log a warning for
        # each of them on every analysis); FAC was never reported by any recognizer either
        ignore = ["CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT", "WORK_OF_ART", "LAW", "LANGUAGE",
                  "PRODUCT", "EVENT", "FAC"]
        super().__init__(models=[{"lang_code": "en", "model_name": model}],
                         ner_model_configuration=NerModelConfiguration(labels_to_ignore=ignore))
        self._exclude = exclude

    def load(self) -> None:
        """Load the model from its package (never downloads)."""
        import spacy

        model = self.models[0]["model_name"]
        self.nlp = {"en": spacy.load(model, exclude=self._exclude)}  # type: ignore[assignment]

    def entities(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """Each text's model entities as (start, end, label), labels mapped and dropped as Presidio does."""
        config = self.ner_model_configuration
        mapping, ignore = config.model_to_presidio_entity_mapping or {}, set(config.labels_to_ignore or [])
        out = []
        for doc in self.get_nlp("en").pipe(texts, batch_size=8):
            found = []
            for ent in doc.ents:
                label = mapping.get(ent.label_, ent.label_)
                if ent.label_ not in ignore and label not in ignore:
                    found.append((ent.start_char, ent.end_char, label))
            out.append(found)
        return out

    def artifacts(self, text: str, packed: PackedText, found: list[tuple[int, int, str]]) -> NlpArtifacts:
        """What the recognizers get from the model: its entities on ``text`` (read from ``packed``)."""
        spans = []
        for start, end, label in found:
            at = packed.original(start, end)
            if at is not None:  # a span reaching across a gap is an artefact of the packing
                spans.append(ModelEntity(at[0], at[1], label, text[at[0]:at[1]]))
        return NlpArtifacts(entities=spans, tokens=None, tokens_indices=[], lemmas=[],  # type: ignore[arg-type]
                            nlp_engine=self, language="en")


@dataclass(frozen=True)
class ModelEntity:
    """An NER entity in the analyzed text (the fields of a spaCy span that recognizers read)."""

    start_char: int
    end_char: int
    label_: str
    text: str


class RegexContextEnhancer(ContextAwareEnhancer):
    """No lemma-based score boosting: Parity's recognizers put context in their patterns.

    Presidio's default enhancer walks the tokens around every result looking for context
    lemmas; with the lemmatizer excluded that work finds nothing, so it is skipped.
    """

    def __init__(self) -> None:
        """No parameters are used."""
        super().__init__(0.0, 0.0, 0, 0)

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: Any,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Return the results unchanged."""
        return raw_results
