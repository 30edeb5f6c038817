"""The RE2 prefilter never hides a match: a pattern it skips has no match in the text.

Checked three ways: the translation's building blocks against every Unicode code point,
a table of constructs the recognizers use, and every recognizer on real notes and
transcripts with the prefilter on and off (same detections).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import re2  # type: ignore[import-untyped]

from guardrails.deid import get_deidentifier
from guardrails.recognizers.base import PREFILTER_MIN_CHARS, RegexRecognizer
from guardrails.recognizers.prefilter import (
    _NOT_SPACE,
    _SPACE,
    compile_prefilter,
    folds_differently,
    translate,
)

DATASETS = Path(__file__).resolve().parents[2] / "eval" / "datasets"
ALL_CHARS = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in (DATASETS / "deid_bh.jsonl").read_text(encoding="utf-8").splitlines()]
    texts += [json.loads(line)["note"] for line in (DATASETS / "copilot_notes.jsonl").read_text(encoding="utf-8").splitlines()]
    return texts


def _recognizers() -> list[RegexRecognizer]:
    return [r for r in get_deidentifier().analyzer.registry.recognizers if isinstance(r, RegexRecognizer)]


def test_when_python_whitespace_then_the_translated_classes_hold_exactly_it() -> None:
    python_space = re.findall(r"\s", ALL_CHARS)
    assert re2.compile(f"[{_SPACE}]").findall(ALL_CHARS) == python_space
    assert re2.compile(f"[^{_NOT_SPACE}]").findall(ALL_CHARS) == python_space  # its exact complement


def test_when_python_ignorecase_folds_a_character_then_re2_does_too_or_the_text_is_not_filtered() -> None:
    literals = {ch for r in _recognizers() for _, rx, _ in r._compiled for ch in rx.pattern if not ch.isascii()}
    for ch in sorted(literals | set("abcdefghijklmnopqrstuvwxyz")):
        python_hits = set(re.findall(re.escape(ch), ALL_CHARS, re.IGNORECASE))
        re2_hits = set(re2.compile(f"(?i){re.escape(ch)}").findall(ALL_CHARS))
        missed = python_hits - re2_hits
        assert all(folds_differently(m) for m in missed), (ch, missed)


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        (r"(?<![\w'’])Dr\.?\s+(?P<v>[A-Z][a-z]+)", 0, "seen by Dr. Okafor today"),
        (r"\bMRN\b[^\S\n]*(?::|#)?[^\S\n]*(?P<v>\d{6,10})", re.IGNORECASE, "mrn\u00a0: 00123456"),
        (r"(?i:sister|brother)\s+(?P<v>[A-Z][a-z]+)", 0, "her SISTER Jen"),
        (r"^(?P<v>[A-Z][a-z]+):", re.MULTILINE, "notes\nMarcus: hi"),
        (r"(\d)\1{2}", 0, "room 555"),
        (r"(?>ab|a)c", 0, "abc"),
        (r"a++b", 0, "aab"),
        (r"x.y", re.DOTALL, "x\ny"),
        (r"[^\W\d_]+son\b", 0, "Jóhannsson"),
        (r"\d{2}/\d{2}/\d{4}", 0, "on ٠٣/١٢/٢٠٢٤"),
        (r"(?i)josé", 0, "JOSÉ"),
        (r"[^\S\n]{2,}end\Z", 0, "the\u2003\u2003end"),
        (r"(a)?(?(1)b|c)", 0, "c"),
        (r"name:\s*(?P<v>\S+(?:\s\S+){0,1500})", 0, "name: José Núñez"),
    ],
)
def test_when_python_matches_then_the_translation_matches(pattern: str, flags: int, text: str) -> None:
    assert re.search(pattern, text, flags), "the table's own example must match in Python"
    assert re2.compile(translate(pattern, flags)).search(text) is not None


def test_when_text_lacks_the_pattern_then_the_prefilter_says_so() -> None:
    may_match = compile_prefilter(re.compile(r"\b(?:mrn|medical record)\b[^\S\n]*:?[^\S\n]*(?P<v>\d{6,})", re.IGNORECASE))
    assert may_match is not None
    assert not may_match("Client reports sleeping six hours; no record of a number here.")
    assert may_match("Medical record: 00482913")


def test_when_re2_is_missing_then_every_pattern_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "re2", None)
    assert compile_prefilter(re.compile(r"mrn\d+")) is None


def test_when_recognizers_run_with_and_without_prefilters_then_they_find_the_same_spans() -> None:
    texts = [t for t in _texts() if len(t) >= PREFILTER_MIN_CHARS]
    assert len(texts) > 100
    skipped = 0
    for recognizer in _recognizers():
        kept = recognizer._prefilters
        for text in texts:
            filtered = recognizer.analyze(text, recognizer.supported_entities)
            skipped += sum(1 for _ in recognizer._compiled) - sum(1 for _ in recognizer.active_patterns(text))
            recognizer._prefilters = [None] * len(kept)
            try:
                unfiltered = recognizer.analyze(text, recognizer.supported_entities)
            finally:
                recognizer._prefilters = kept
            assert [(r.entity_type, r.start, r.end, r.score) for r in filtered] == [
                (r.entity_type, r.start, r.end, r.score) for r in unfiltered
            ], recognizer.name
    assert skipped > 0.5 * sum(len(r._compiled) for r in _recognizers()) * len(texts)  # most patterns are skipped


def test_when_every_pattern_skipped_by_its_prefilter_then_python_finds_no_match_either() -> None:
    for recognizer in _recognizers():
        for (name, regex, _), may_match in zip(recognizer._compiled, recognizer._prefilters, strict=True):
            assert may_match is not None, f"{recognizer.name}.{name} has no prefilter"
            for text in _texts():
                if regex.search(text):
                    assert folds_differently(text) or may_match(text), f"{recognizer.name}.{name}"
