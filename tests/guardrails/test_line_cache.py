"""Line-cached de-identification: same spans as the full analyzer, only new lines analyzed."""

from __future__ import annotations

from guardrails.deid import get_deidentifier
from guardrails.line_cache import LineCachedDeidentifier

NOTE = (
    "Client Maria Gonzalez (DOB 03/14/1988) seen at Riverside Clinic.\n"
    "She reports panic attacks 4 times this week; her husband Tom drove her.\n"
    "\n"
    "Call 555-201-3344 to reschedule.\n"
)


class CountingDeidentifier:
    def __init__(self) -> None:
        self.inner = get_deidentifier()
        self.config = self.inner.config
        self.analyzed: list[str] = []

    def analyze(self, text: str) -> list:
        self.analyzed.append(text)
        return self.inner.analyze(text)


def test_cached_spans_match_the_full_analyzer() -> None:
    cached = LineCachedDeidentifier(get_deidentifier())
    direct = get_deidentifier().deidentify(NOTE)
    first = cached.deidentify(NOTE)
    again = cached.deidentify(NOTE)
    assert [(e.start, e.end) for e in first.entities] == [(e.start, e.end) for e in direct.entities]
    assert first.text == direct.text == again.text
    assert "Maria" not in first.text and "555-201-3344" not in first.text


def test_an_edit_sends_only_the_changed_line_to_the_analyzer() -> None:
    counting = CountingDeidentifier()
    cached = LineCachedDeidentifier(counting)  # type: ignore[arg-type]
    cached.deidentify(NOTE)
    edited = NOTE.replace("drove her.", "drove her; sister Ana Ruiz also came.")
    result = cached.deidentify(edited)
    assert counting.analyzed[-1].startswith("She reports panic attacks")
    assert "\n" not in counting.analyzed[-1]
    assert "Ana Ruiz" not in result.text and "Maria" not in result.text
