"""Detectors for the formal elements: session time, modality and participants, plan, signature."""

from __future__ import annotations

import re
from typing import Any

from assistant.copilot.detect_clinical import is_goal_statement, is_rationale_statement
from assistant.copilot.findings import Finding, rx, unique
from assistant.copilot.segments import NoteDoc
from assistant.copilot.techniques import delivered_techniques

_CLOCK = r"\d{1,2}(?::\d{2}|\s*[ap]\.?m\.?)\s*(?:[ap]\.?m\.?)?"
CLOCK_RANGE = re.compile(
    rf"(?P<a>{_CLOCK})\s*(?:–|-|—|to|until|through)\s*(?P<b>{_CLOCK})"
    rf"|\btime\s+in\s*[:=]?\s*(?P<e>{_CLOCK})[^.\n]{{0,30}}?\btime\s+out\s*[:=]?\s*(?P<f>{_CLOCK})"
    rf"|\bstart\w*\s*(?:at|time)?\s*[:=]?\s*(?P<c>{_CLOCK})[^.\n]{{0,40}}?\b(?:end|stop|ended|stopped|finish)\w*\s*(?:at|time)?\s*[:=]?\s*(?P<d>{_CLOCK})",
    re.IGNORECASE,
)
MINUTES = re.compile(r"(?<![\d–-])(?P<n>\d{1,3})\s*(?:-\s*)?(?:min(?:ute)?s?\b|['’]|mins?\.)", re.IGNORECASE)
_TIME_CONTEXT = re.compile(
    r"\b(?:session|total|face[- ]to[- ]face|time|duration|psychotherapy|visit|spent|length|lasted|ran|met|seen|"
    r"encounter|contact|evaluation|start|end)\b[^.;\d]{0,25}$",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(r"^\s*\)?\s*(?:of\s+)?(?:total\s+)?(?:face[- ]to[- ]face|session|psychotherapy|individual|family|group|crisis|visit|in\s+session|duration)\b", re.IGNORECASE)
_APPROX = re.compile(r"\b(?:approx\w*|about|around|roughly|nearly|almost|~)\s*\d|\d{1,3}\s*(?:–|-|to)\s*\d{1,3}\s*min", re.IGNORECASE)
_RANGE = re.compile(r"\b\d{1,3}\s*(?:–|-|to)\s*\d{1,3}\s*min(?:ute)?s?\b", re.IGNORECASE)
_PLAN_TIME = re.compile(r"\b(?:weekly|biweekly|monthly|next|sessions\b|every|will|schedule\w*|plan\w*)\b", re.IGNORECASE)


def _to_minutes(clock: str) -> int | None:
    m = re.match(r"(\d{1,2})(?::(\d{2}))?\s*([ap])?", clock.strip(), re.IGNORECASE)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3) and m.group(3).lower() == "p" and hour < 12:
        hour += 12
    return hour * 60 + minute


def documented_minutes(doc: NoteDoc) -> int | None:
    """Session minutes the note states (clock range or total), if any."""
    for seg in doc.segments:
        m = CLOCK_RANGE.search(seg.text)
        if m:
            a, b = next((m.group(x), m.group(y)) for x, y in (("a", "b"), ("e", "f"), ("c", "d")) if m.group(x))
            start, end = _to_minutes(a), _to_minutes(b)
            if start is not None and end is not None:
                span = (end - start) % (12 * 60) if end < start else end - start
                if 0 < span <= 300:
                    return span
    for seg in doc.segments:
        for m in MINUTES.finditer(seg.text):
            if _session_minutes(seg.text, m) and not _PLAN_TIME.search(seg.text):
                return int(m.group("n"))
    return None


def _session_span(text: str) -> bool:
    """A clock start/stop pair whose span could be a session (up to five hours)."""
    m = CLOCK_RANGE.search(text)
    if not m:
        return False
    a, b = next((m.group(x), m.group(y)) for x, y in (("a", "b"), ("e", "f"), ("c", "d")) if m.group(x))
    start, end = _to_minutes(a), _to_minutes(b)
    if start is None or end is None:
        return True
    span = (end - start) % (12 * 60) if end < start else end - start
    return 0 < span <= 300


_NOT_LENGTH = re.compile(r"\b(?:beyond|past|over|than|exceed\w*|at|under|below|after|every)\s*$", re.IGNORECASE)


def _session_minutes(text: str, m: re.Match[str]) -> bool:
    """Whether a minutes figure states the session's length (not an exercise's, nor a threshold)."""
    before, after = text[max(0, m.start() - 60):m.start()], text[m.end():m.end() + 30]
    if _NOT_LENGTH.search(before) or delivered_techniques(before[-40:]):
        return False
    return bool(_TIME_CONTEXT.search(before) or _TIME_AFTER.search(after) or (re.search(r"\(\s*$", before) and CLOCK_RANGE.search(text)))


def detect_time(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """Clock start/stop or total minutes → met (payer may require clock times); approximate → partial."""
    clock, total, approx = [], [], []
    for seg in doc.segments:
        if _session_span(seg.text):
            clock.append(seg)
            continue
        ranged = _RANGE.search(seg.text)
        if ranged and _session_minutes(seg.text, ranged):
            approx.append(seg)
            continue
        for m in MINUTES.finditer(seg.text):
            window = seg.text[max(0, m.start() - 25): m.end()]
            if not _session_minutes(seg.text, m) or (_PLAN_TIME.search(seg.text) and seg.section == "plan"):
                continue
            if _APPROX.search(window):
                approx.append(seg)
            else:
                total.append(seg)
            break
    need_clock = bool(options.get("require_clock_times"))
    if clock:
        return Finding("met", clock[:2], "clock start and stop times")
    if total and not need_clock:
        return Finding("met", total[:2], "total face-to-face minutes")
    if total:
        return Finding("partial", total[:2], "total minutes only; this payer requires clock start and stop times")
    if approx:
        return Finding("partial", approx[:1], "approximate time only")
    return Finding.missing("no session time documented")


_INDIVIDUAL = rx(r"individual\w*(?:\s+\w+)?", r"client\s+(?:only|alone)", r"seen\s+alone", r"one[- ]on[- ]one",
                 r"no\s+(?:one|others?)\s+(?:else\s+)?present", r"1:1")
_FAMILY = rx(r"family\s+(?:session|therapy|psychotherapy|meeting)", r"conjoint", r"couples?\s+(?:session|therapy)", r"joint\s+session")
_GROUP = rx(r"group(?:\s+\w+)?")
_WHO = rx(
    r"mother", r"father", r"mom", r"dad", r"parents?", r"step\w+", r"spouse", r"partner", r"wife", r"husband",
    r"siblings?", r"sister", r"brother", r"grand\w+", r"guardian", r"caregivers?", r"aunt", r"uncle",
    r"foster\s+\w+", r"son", r"daughter", r"present", r"attended", r"participants?", r"joined", r"interpreter",
    r"IP", r"identified\s+patient", r"\[(?:PARENT|PERSON|FAMILY|RELATIVE|INTERPRETER)_\d+\]",
)
_COUNT = re.compile(
    r"\b(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:\w+\s+)?(?:members|participants|clients|"
    r"adults|adolescents|teens|enrollees|attendees|veterans|women|men|youth|patients|people|group\s+members)\b|"
    r"\b(?:members|participants|attendees)\s*(?:present)?\s*[:=(]\s*\d+",
    re.IGNORECASE,
)


_ATTENDANCE = re.compile(r"\b(?:present|attend\w*|enrolled|participat\w*|in\s+(?:the\s+)?group|group\s+of|joined)\b|[:=(]\s*\d", re.IGNORECASE)
_FAMILY_MEMBER = re.compile(_WHO.pattern.replace(r"|present|attended|participants?|joined", "").replace(r"|IP|identified\s+patient", ""), re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:weekly|biweekly|monthly|starting|will|recommend\w*|next)\b", re.IGNORECASE)


def detect_modality(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """The modality and who attended (group: type and count; family: who was present)."""
    group = [s for s in doc.segments if _GROUP.search(s.text) and not re.search(r"\bsupport\s+group\b", s.text, re.IGNORECASE)]
    counted = [s for s in doc.segments if _COUNT.search(s.text) and (_ATTENDANCE.search(s.text) or s.section == "participants")]
    if options.get("modality") == "group" or (group and not _INDIVIDUAL.search(doc.text[:400])):
        if counted:
            return Finding("met", unique(counted + group[:1])[:2], "group type and participant count")
        if group:
            return Finding("partial", group[:1], "group attendance without the number or make-up of participants")
    family = [s for s in doc.segments if _FAMILY.search(s.text)]
    who = [s for s in doc.segments if _WHO.search(s.text)]
    if family or options.get("modality") == "family":
        if who := [s for s in who if _FAMILY_MEMBER.search(s.text)]:
            return Finding("met", unique(family[:1] + who[:1]), "family session and who attended")
        if family:
            return Finding("partial", family[:1], "family session without who attended")
    individual = [s for s in doc.segments if _INDIVIDUAL.search(s.text) and not _FUTURE.search(s.text)]
    if individual:
        return Finding("met", individual[:1], "individual session")
    if who:
        return Finding("partial", who[:1], "participants named without the modality")
    return Finding.missing("modality and participants not documented")


_NEXT = re.compile(
    r"\b(?:next\s+(?:session|appointment|visit|meeting|group)|return\s+(?:in|to\s+clinic)|RTC|follow[- ]?up|f/u|"
    r"(?:bi)?weekly|every\s+(?:other\s+)?(?:\d+\s+)?(?:week|day|month)s?|twice\s+(?:a|per)\s+(?:week|month)|monthly|"
    r"(?:in|within)\s+(?:\d+|one|two|three|four)\s+(?:days?|weeks?)|(?:re)?schedul(?:e|ed)|will\s+(?:meet|see|resume|continue\s+\w+ly)|"
    r"per\s+week|x\s*/\s*week|\d+\s*x\s*/?\s*(?:week|wk)|tomorrow|homework|between\s+sessions)\b|"
    r"\b(?:next|on|until|session|appointment|visit|follow[- ]?up|return)\s+(?:\w+\s+){0,2}\(?\[DATE_\d+\]",
    re.IGNORECASE,
)


_NEXT_STRONG = re.compile(
    r"\bnext\s+(?:\w+\s+)?(?:session|appointment|visit|meeting|group)\b|\bfollow[- ]?up\s+(?:visit|appointment|session|call|in|within|on|tomorrow)\b|"
    r"\breturn\s+in\b|\bRTC\b|\b(?:session|appointment|visit)\s+(?:tomorrow|on\s+\[DATE_\d+\]|in\s+\d+\s+(?:days?|weeks?))|"
    r"\b(?:twice|once)\s+weekly\b|\b(?:bi)?weekly\s+(?:\w+\s+)?sessions?\b|\bsession\s+(?:scheduled|booked)\b|\bsee\s+(?:her|him|them|client)\s+(?:again|in|next)\b",
    re.IGNORECASE,
)


def detect_plan(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """Next session or frequency → met; "Plan: continue." alone → partial."""
    plan_section = [s for s in doc.in_section("plan") if not is_goal_statement(s)]
    met = [s for s in plan_section if _NEXT.search(s.text) and not is_rationale_statement(s)] or [
        s for s in doc.segments if _NEXT_STRONG.search(s.text) and not is_goal_statement(s) and not is_rationale_statement(s)
    ]
    if not met:
        met = [
            s for s in doc.segments if s.section in (None, "assessment", "response", "data") and re.search(r"\bplan\b", s.text, re.IGNORECASE)
            and _NEXT.search(s.text) and not is_goal_statement(s) and not is_rationale_statement(s)
        ]
    if met:
        return Finding("met", met[:2], "next session / frequency documented")
    if plan_section:
        return Finding("partial", plan_section[:1], "plan without frequency or next contact")
    return Finding.missing("no plan for the next session")


CREDENTIAL = re.compile(
    r"\b(?:LCSW|LICSW|LISW(?:-S)?|LMSW|LSW|MSW|LPC(?:-S)?|LPCC|LCPC|LMHC|LCMHC|LMFT|MFT|LPA|LP|PhD|Ph\.D\.|PsyD|Psy\.D\.|"
    r"MD|M\.D\.|DO|NP|PMHNP(?:-BC)?|APRN|CNS|RN|LADC|LCADC|CADC|LAC|LCDC|MA|MS|MEd|EdD|BCBA|ATR|QMHP|LMHP|LPCA|ALC|"
    r"Psychologist|Psychiatrist|Therapist|Counsel(?:or|lor)|Clinician|Social\s+Worker)\b"
)
_SIGN = re.compile(r"\b(?:signed|signature|e-?signed|electronically\s+signed|attested|authenticated)\b|^\s*[-—–]\s*\[", re.IGNORECASE)
_DATE = re.compile(r"\[DATE_\d+\]|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.?\s+\d{1,2},?\s+\d{4}")
_UNSIGNED = re.compile(r"\bunsigned\b|\bsignature\s+(?:pending|missing|needed|required)\b|\bnot\s+(?:yet\s+)?signed\b|\bto\s+be\s+signed\b", re.IGNORECASE)
_PERSON = re.compile(r"\[(?:PROVIDER|PERSON|CLINICIAN)_\d+\]|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b|\b[A-Z]\.\s*[A-Z][a-z]+\b")


def detect_signature(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """Rendering clinician + credentials + signature date → met; a name only → partial."""
    lines = [s for s in doc.segments if s.line >= 0]
    tail = lines[-4:]
    candidates = [s for s in doc.segments if _SIGN.search(s.text) or s.section == "signature"] + [
        s for s in tail if CREDENTIAL.search(s.text) and _PERSON.search(s.text)
    ]
    candidates = [s for s in unique(candidates) if not _UNSIGNED.search(s.text)]
    if any(_UNSIGNED.search(s.text) for s in doc.segments) and not candidates:
        return Finding.missing("note is marked unsigned")
    full = [s for s in candidates if CREDENTIAL.search(s.text) and (_DATE.search(s.text) or _near_date(doc, s))]
    if full:
        return Finding("met", full[:1], "signed with credentials and date")
    if candidates:
        return Finding("partial", candidates[:1], "signature without credentials or date")
    return Finding.missing("no clinician signature")


def _near_date(doc: NoteDoc, seg: Any) -> bool:
    return any(_DATE.search(s.text) for s in doc.segments if s.line == seg.line)
