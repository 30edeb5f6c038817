"""Transcript intake: each format, line numbers, roles, minutes, bad input."""

from __future__ import annotations

import json

import pytest

from assistant.errors import InvalidInputError
from assistant.scribe.intake import parse_transcript, sniff

PLAIN = "Therapist: How was your week?\nClient: Rough week.\nI missed work twice.\nT: What happened?\nC: Panic, mostly."
VTT = (
    "WEBVTT\n\n00:00:02.000 --> 00:00:06.000\n<v Dr. Reyes>How have you been sleeping?</v>\n\n"
    "00:00:07.000 --> 00:00:12.500\n<v Dana>Badly. Maybe four hours a night.</v>\n\n"
    "00:45:00.000 --> 00:45:04.000\n<v Dr. Reyes>See you next week.</v>\n"
)
SRT = (
    "1\n00:00:01,000 --> 00:00:04,000\nTHERAPIST: What brings you in today?\n\n"
    "2\n00:00:05,000 --> 00:00:09,000\nCLIENT: My panic attacks.\n\n"
    "3\n00:53:00,000 --> 00:53:05,000\nTHERAPIST: Let's stop here.\n"
)
JSON = json.dumps([
    {"speaker": "counselor", "text": "How was the week?", "start": 0, "end": 3},
    {"speaker": "patient", "text": "Better, thanks.", "start": 4, "end": 6},
    {"speaker": "mother", "text": "He slept more.", "start": 7, "end": 2400},
])


def test_when_plain_labels_then_roles_and_wrapped_lines_join() -> None:
    t = parse_transcript(PLAIN)
    assert t.format == "plain"
    assert [(u.line, u.role) for u in t.utterances] == [(1, "therapist"), (2, "client"), (3, "therapist"), (4, "client")]
    assert t.utterances[1].text == "Rough week. I missed work twice."
    assert t.minutes is None


def test_when_vtt_then_voices_name_speakers_and_timestamps_give_minutes() -> None:
    t = parse_transcript(VTT)
    assert t.format == "vtt"
    assert [u.role for u in t.utterances] == ["therapist", "client", "therapist"]
    assert t.utterances[1].text == "Badly. Maybe four hours a night."
    assert t.minutes == 45


def test_when_srt_then_labels_in_text_and_minutes() -> None:
    t = parse_transcript(SRT)
    assert t.format == "srt"
    assert [u.role for u in t.utterances] == ["therapist", "client", "therapist"]
    assert t.utterances[1].text == "My panic attacks."
    assert t.minutes == 53


def test_when_json_then_other_participants_and_minutes() -> None:
    t = parse_transcript(JSON)
    assert [u.role for u in t.utterances] == ["therapist", "client", "other"]
    assert t.minutes == 40


def test_when_names_only_then_the_questioner_is_the_therapist() -> None:
    t = parse_transcript("Alex: How are you feeling today?\nSam: Tired.\nAlex: What kept you up?\nSam: Work stress.")
    assert [u.role for u in t.utterances] == ["therapist", "client", "therapist", "client"]


def test_given_roles_override_detection() -> None:
    t = parse_transcript("Alex: How are you?\nSam: Tired?", roles={"Sam": "therapist", "Alex": "client"})
    assert [u.role for u in t.utterances] == ["client", "therapist"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just some words without any speaker labels at all\nand another line", "no speaker labels"),
        ("WEBVTT\n\nnot a cue", "no utterances"),
        ('{"speaker": "x"}', "list"),
        ("[1, 2]", "item 0"),
    ],
)
def test_when_bad_transcript_then_clear_error_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as err:
        parse_transcript(text)
    assert err.value.field == "transcript"


def test_sniff_formats() -> None:
    assert sniff(VTT) == "vtt" and sniff(SRT) == "srt" and sniff(JSON) == "json" and sniff(PLAIN) == "plain"
