"""Transcript intake: plain text with speaker labels, WebVTT, SRT or JSON → numbered utterances.

Line numbers are assigned once, here (1-based, one per utterance / cue / list item) and kept
through de-identification, extraction and rendering. Roles (therapist / client / other) come
from the caller's map, from the labels themselves ("Therapist", "T", "Client", "C", "Dr. …"),
or, for names, from who asks the questions.
"""

from __future__ import annotations

import io
import json
import re
from typing import Literal

import webvtt
from pydantic import BaseModel, Field

from assistant.errors import InvalidInputError

Role = Literal["therapist", "client", "other"]
InputFormat = Literal["plain", "vtt", "srt", "json"]

_ROLE_WORDS: dict[str, Role] = {
    "therapist": "therapist", "t": "therapist", "counselor": "therapist", "counsellor": "therapist",
    "clinician": "therapist", "provider": "therapist", "facilitator": "therapist", "interviewer": "therapist",
    "psychologist": "therapist", "psychiatrist": "therapist", "doctor": "therapist", "dr": "therapist",
    "client": "client", "c": "client", "patient": "client", "p": "client", "member": "client",
    "enrollee": "client", "ip": "client", "consumer": "client", "youth": "client",
}
_LABEL = re.compile(r"^\s*(?P<speaker>\[[A-Z_]+\d*\]|[A-Za-z][\w .'’()-]{0,40}?)\s*:\s+(?P<text>\S.*)$")
_SRT_TIMING = re.compile(r"^\d{2}:\d{2}:\d{2}[,.]\d{3}\s*-->\s*\d{2}:\d{2}:\d{2}[,.]\d{3}", re.MULTILINE)
_TITLE = re.compile(r"^(?:dr|mr|mrs|ms|mx)\.?\s", re.IGNORECASE)


class Utterance(BaseModel):
    """One numbered turn of the session."""

    line: int = Field(ge=1)
    speaker: str
    role: Role
    text: str
    start: float | None = None
    end: float | None = None


class Transcript(BaseModel):
    """A parsed transcript."""

    format: InputFormat
    utterances: list[Utterance]
    minutes: int | None = None

    def text_of(self, lines: list[int]) -> str:
        """The utterances with these numbers, joined."""
        wanted = set(lines)
        return " ".join(u.text for u in self.utterances if u.line in wanted)


def sniff(text: str) -> InputFormat:
    """Guess the format from the content."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith("{"):
        return "json"
    if head.startswith("["):
        try:
            if isinstance(json.loads(head), list):
                return "json"
        except ValueError:
            pass
    if _SRT_TIMING.search(text[:2000]):
        return "srt"
    return "plain"


def _role_of_label(label: str) -> Role | None:
    key = label.strip().lower().rstrip(".")
    if key in _ROLE_WORDS:
        return _ROLE_WORDS[key]
    first = key.split()[0] if key.split() else ""
    if _TITLE.match(label) or first in ("therapist", "counselor", "clinician", "facilitator"):
        return "therapist"
    if first in ("client", "patient", "member"):
        return "client"
    if first in ("mother", "father", "mom", "dad", "parent", "partner", "spouse", "interpreter", "sister", "brother"):
        return "other"
    return None


def _split_label(text: str) -> tuple[str | None, str]:
    m = _LABEL.match(text)
    if m and len(m.group("speaker").split()) <= 4:
        return m.group("speaker").strip(), m.group("text").strip()
    return None, text.strip()


def _plain(text: str) -> list[tuple[str | None, str, float | None, float | None]]:
    rows: list[tuple[str | None, str, float | None, float | None]] = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        speaker, body = _split_label(raw)
        if speaker is None and rows:
            prev = rows[-1]
            rows[-1] = (prev[0], f"{prev[1]} {body}", None, None)  # a wrapped line continues the turn
            continue
        rows.append((speaker, body, None, None))
    return rows


def _cues(text: str, fmt: InputFormat) -> list[tuple[str | None, str, float | None, float | None]]:
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format="srt" if fmt == "srt" else "vtt")
    except Exception as exc:  # the library raises its own MalformedFileError / MalformedCaptionError
        raise InvalidInputError(f"not a valid {fmt.upper()} file ({type(exc).__name__})", "transcript") from None
    rows: list[tuple[str | None, str, float | None, float | None]] = []
    for cue in captions.captions:
        body = " ".join(cue.text.split())
        speaker = getattr(cue, "voice", None)
        if not speaker:
            speaker, body = _split_label(body)
        if body:
            rows.append((speaker, body, _seconds(cue.start), _seconds(cue.end)))
    return rows


def _seconds(stamp: str) -> float:
    h, m, s = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def _json(text: str) -> list[tuple[str | None, str, float | None, float | None]]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"not valid JSON ({exc.msg} at line {exc.lineno})", "transcript") from None
    if not isinstance(items, list):
        raise InvalidInputError("a JSON transcript is a list of {speaker, text, start?, end?}", "transcript")
    rows: list[tuple[str | None, str, float | None, float | None]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise InvalidInputError(f"item {i} needs a text string", "transcript")
        start, end = item.get("start"), item.get("end")
        rows.append((str(item.get("speaker") or "") or None, " ".join(item["text"].split()),
                     float(start) if isinstance(start, int | float) else None,
                     float(end) if isinstance(end, int | float) else None))
    return [r for r in rows if r[1]]


def _assign_roles(speakers: list[str], rows: list[tuple[str | None, str, float | None, float | None]],
                  given: dict[str, Role]) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    normalized = {k.strip().lower(): v for k, v in given.items()}
    for s in speakers:
        role = normalized.get(s.strip().lower()) or _role_of_label(s)
        if role:
            roles[s] = role
    unknown = [s for s in speakers if s not in roles]
    if unknown:
        # the speaker who asks the most questions and is not a known client leads the session
        asks = {s: sum(1 for sp, t, *_ in rows if sp == s and t.rstrip().endswith("?")) for s in unknown}
        talks = {s: sum(1 for sp, *_ in rows if sp == s) for s in unknown}
        has_therapist = "therapist" in roles.values()
        has_client = "client" in roles.values()
        ranked = sorted(unknown, key=lambda s: (-asks[s] / max(1, talks[s]), -talks[s]))
        for s in ranked:
            if not has_therapist:
                roles[s], has_therapist = "therapist", True
            elif not has_client:
                roles[s], has_client = "client", True
            else:
                roles[s] = "other"
    return roles


def parse_transcript(text: str, fmt: InputFormat | None = None, roles: dict[str, Role] | None = None) -> Transcript:
    """Parse and number a transcript; raises :class:`InvalidInputError` naming ``transcript``."""
    fmt = fmt or sniff(text)
    if fmt == "json":
        rows = _json(text)
    elif fmt in ("vtt", "srt"):
        rows = _cues(text, fmt)
    else:
        rows = _plain(text)
    if not rows:
        raise InvalidInputError("the transcript has no utterances", "transcript")
    labelled = [r for r in rows if r[0]]
    if len(labelled) < max(1, len(rows) // 2):
        raise InvalidInputError(
            "no speaker labels found; label each turn ('Therapist: …', 'Client: …') or send JSON with speakers",
            "transcript",
        )
    speakers = list(dict.fromkeys(r[0] for r in rows if r[0]))
    role_of = _assign_roles(speakers, rows, roles or {})
    utterances = []
    last = None
    for n, (speaker, body, start, end) in enumerate(rows, start=1):
        speaker = speaker or last or "unknown"
        last = speaker
        utterances.append(Utterance(line=n, speaker=speaker, role=role_of.get(speaker, "other"), text=body,
                                    start=start, end=end))
    times = [t for u in utterances for t in (u.end, u.start) if t is not None]
    starts = [u.start for u in utterances if u.start is not None]
    minutes = round((max(times) - min(starts or [0.0])) / 60) if times else None
    return Transcript(format=fmt, utterances=utterances, minutes=minutes or None)
