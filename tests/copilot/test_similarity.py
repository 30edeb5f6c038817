"""Similarity layer: rescues only above a calibrated threshold; calibration keeps only gains."""

from __future__ import annotations

from assistant.copilot.findings import Finding
from assistant.copilot.rulepacks import get_registry
from assistant.copilot.segments import segment_note
from assistant.copilot.similarity import CachedEmbedder, SimilarityLayer, load_thresholds
from eval.calibrate_copilot import calibrate
from tests.retrieval.conftest import HashEmbedder

RULE = get_registry().resolve(None).elements["functional_impairment"]
NOTE = "She missed three days of work because of panic attacks.\nClient arrived on time today for her visit."


def test_when_no_threshold_then_layer_leaves_the_finding_alone() -> None:
    layer = SimilarityLayer(CachedEmbedder(HashEmbedder()), {})
    missing = Finding.missing()
    assert layer.rescue("functional_impairment", RULE, segment_note(NOTE), missing) is missing


def test_when_a_sentence_clears_the_threshold_then_partial_with_that_sentence() -> None:
    layer = SimilarityLayer(CachedEmbedder(HashEmbedder()), {"functional_impairment": 0.1})
    found = layer.rescue("functional_impairment", RULE, segment_note(NOTE), Finding.missing())
    assert found.status == "partial" and found.layer == "similarity"
    assert found.segments[0].text.startswith("She missed three days of work")


def test_cache_embeds_each_sentence_once() -> None:
    class Counting(HashEmbedder):
        calls = 0

        def embed(self, texts):  # type: ignore[no-untyped-def]
            Counting.calls += len(texts)
            return super().embed(texts)

    cached = CachedEmbedder(Counting())
    cached.embed(["a b", "c d"])
    cached.embed(["a b", "e f"])
    assert Counting.calls == 3


def test_calibration_keeps_a_threshold_only_when_it_helps() -> None:
    helpful = {"plan": [("partial", "missing", 0.8), ("missing", "missing", 0.2), ("met", "met", 0.0)]}
    useless = {"plan": [("missing", "missing", 0.8), ("missing", "missing", 0.2)]}
    assert calibrate(helpful, 0.02)[0]["plan"] == 0.8
    assert calibrate(useless, 0.02)[0]["plan"] is None


def test_shipped_calibration_file_loads() -> None:
    assert isinstance(load_thresholds(), dict)
