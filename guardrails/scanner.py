"""Egress checks: find PHI in outgoing text, and a logging filter that redacts it.

``scan`` is the check every later stage runs on LLM output, reports and log lines:
placeholders (``[PATIENT_1]``) are already safe and are skipped. Findings carry
offsets and types, never the value.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from pydantic import BaseModel

from guardrails.deid import PLACEHOLDER_RE, Deidentifier, analyzing_in_this_thread, get_deidentifier


class Finding(BaseModel):
    """PHI found in outgoing text (offsets only)."""

    type: str
    start: int
    end: int
    score: float


def scan(text: str, deidentifier: Deidentifier | None = None, min_score: float = 0.5) -> list[Finding]:
    """Find identifiers in ``text`` that are not placeholders."""
    engine = deidentifier or get_deidentifier()
    out = []
    for ent in engine.analyze(text):
        surface = text[ent.start:ent.end]
        if PLACEHOLDER_RE.fullmatch(surface.strip()) or ent.score < min_score:
            continue
        out.append(Finding(type=ent.type, start=ent.start, end=ent.end, score=ent.score))
    return out


def redact(text: str, deidentifier: Deidentifier | None = None) -> str:
    """Replace every finding by ``[TYPE]``."""
    findings = scan(text, deidentifier)
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        text = f"{text[:f.start]}[{f.type}]{text[f.end:]}"
    return text


_ACTIVE = threading.local()


def redacting_in_this_thread() -> bool:
    """Whether this thread is running the redaction filter right now."""
    return bool(getattr(_ACTIVE, "on", False))


def redaction_would_reenter() -> bool:
    """Whether this thread is already inside the de-identifier (as the filter, or as its caller holding its lock)."""
    return redacting_in_this_thread() or analyzing_in_this_thread()


class PhiRedactingFilter(logging.Filter):
    """Logging filter that redacts PHI from every record's message (and drops its args)."""

    def __init__(self, deidentifier: Deidentifier | None = None) -> None:
        """Use ``deidentifier`` (default: the process-wide one)."""
        super().__init__()
        self._deidentifier = deidentifier

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; always lets it through.

        A record logged from inside the de-identifier (a Presidio message mid-analysis, whether the
        filter or application code started it: the analyzer's lock is not re-entrant), or before the
        process has built its de-identifier, cannot be checked, so its text is withheld.
        """
        if redaction_would_reenter():
            record.msg, record.args, record.exc_info, record.exc_text = "[withheld: logged during redaction]", None, None, None
            return True
        if self._deidentifier is None and get_deidentifier.cache_info().currsize == 0:
            # never build the de-identifier from inside a log call (imports and locks in other threads):
            # until the process has one, record text is withheld rather than risked
            record.msg, record.args, record.exc_info, record.exc_text = "[withheld: de-identifier not ready]", None, None, None
            return True
        _ACTIVE.on = True
        try:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                message = str(record.msg)
            record.msg = redact(message, self._deidentifier)
            record.args = None
            if record.exc_info and record.exc_info[1] is not None:
                exc = record.exc_info[1]
                record.exc_text = f"{type(exc).__name__}: {redact(str(exc), self._deidentifier)}"
                record.exc_info = None
        finally:
            _ACTIVE.on = False
        return True


def install_log_redaction(logger: logging.Logger | None = None, **kwargs: Any) -> PhiRedactingFilter:
    """Attach the filter to every handler of ``logger`` (root by default)."""
    target = logger or logging.getLogger()
    flt = PhiRedactingFilter(**kwargs)
    for handler in target.handlers:
        handler.addFilter(flt)
    target.addFilter(flt)
    return flt
