"""The NER model reads packed windows; its spans come back at the right offsets of the note."""

from __future__ import annotations

from guardrails.deid import get_deidentifier
from guardrails.ner_window import PackedText, ner_windows

NOTE = (
    "Session focused on sleep hygiene and the thought record.\n"
    "Client practiced paced breathing during the session and rated anxiety 4/10 afterwards.\n"
    "Her sister Marisol Quintanilla drove her from Pawtucket; they argued in the car.\n"
    "Plan: continue weekly CBT; review the log next week.\n"
)


def test_when_note_has_names_then_only_their_surroundings_are_windows() -> None:
    windows = ner_windows(NOTE)
    covered = "".join(NOTE[lo:hi] for lo, hi in windows)
    assert "Marisol Quintanilla" in covered and "Pawtucket" in covered
    assert "Session focused" not in covered  # a sentence-initial ordinary word
    assert "CBT" not in covered  # clinical acronyms are left to the rules


def test_when_packed_then_model_spans_map_back_to_the_same_words() -> None:
    packed = PackedText.pack(NOTE)
    assert len(packed.text) < len(NOTE) / 2
    at = packed.text.index("Marisol Quintanilla")
    start, end = packed.original(at, at + len("Marisol Quintanilla")) or (0, 0)
    assert NOTE[start:end] == "Marisol Quintanilla"


def test_when_a_span_crosses_the_gap_between_windows_then_it_is_dropped() -> None:
    text = "Marisol called." + " " * 80 + "Pawtucket is far."
    packed = PackedText.pack(text)
    assert len(packed.spans) == 2
    first_end = packed.starts[0] + packed.spans[0][1] - packed.spans[0][0]
    assert packed.original(0, first_end + 3) is None
    assert packed.original(0, len("Marisol")) == (0, len("Marisol"))


def test_when_note_is_analyzed_then_model_names_are_found_at_their_offsets() -> None:
    entities = get_deidentifier().analyze(NOTE)
    found = {NOTE[e.start:e.end] for e in entities}
    assert "Marisol Quintanilla" in found
    assert "Pawtucket" in found


def test_when_model_labels_arrive_as_presidio_names_them_then_people_and_places_are_kept() -> None:
    from guardrails.ner_window import PackedText
    from guardrails.nlp_engine import ModelEntity
    from guardrails.recognizers.spacy_ner import SpacyNerRecognizer

    text = "Marisol drove in from Pawtucket with Acme Freight."
    found = [(0, 7, "PERSON"), (22, 31, "LOCATION"), (37, 49, "ORGANIZATION")]
    artifacts = get_deidentifier().nlp_engine.artifacts(text, PackedText(text, [0], [(0, len(text))]), found)
    assert all(isinstance(e, ModelEntity) for e in artifacts.entities)
    results = SpacyNerRecognizer().analyze(text, ["PERSON", "LOCATION"], artifacts)
    assert [(text[r.start:r.end], r.entity_type) for r in results] == [("Marisol", "PERSON"), ("Pawtucket", "LOCATION")]
