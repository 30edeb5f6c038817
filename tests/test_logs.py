"""The service's log configuration: every line passes the PHI redaction filter, off the caller's thread."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import threading
from collections.abc import Iterator

import pytest

from assistant.logs import RedactingQueueHandler, log_config
from assistant.settings import Settings
from guardrails.deid import get_deidentifier
from guardrails.scanner import PhiRedactingFilter

NAMES = ["", "uvicorn", "uvicorn.error", "uvicorn.access", "presidio-analyzer"]


@pytest.fixture
def service_logging() -> Iterator[io.StringIO]:
    """Apply the service's log configuration writing to a buffer; put every touched logger back afterwards."""
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level, logging.getLogger(n).propagate)
             for n in NAMES}
    buffer = io.StringIO()
    logging.config.dictConfig(log_config(stream=buffer))
    yield buffer
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RedactingQueueHandler):
            handler.close()
    for n, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(n)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_service_logs_are_redacted_json_lines(service_logging: io.StringIO) -> None:
    get_deidentifier()  # `parity serve` builds it before the first log line
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, RedactingQueueHandler))
    assert isinstance(handler, RedactingQueueHandler)
    assert handler in logging.getLogger("uvicorn.error").handlers  # uvicorn's loggers share the one handler
    assert any(isinstance(f, PhiRedactingFilter) for f in handler.target.filters)
    logging.getLogger("assistant.example").warning("call %s at 555-201-3344 about her appeal", "Dana Whitfield")
    try:
        raise ValueError("no chart for Dana Whitfield")
    except ValueError:
        logging.getLogger("uvicorn.error").exception("request failed")
    _flush()
    lines = [json.loads(line) for line in service_logging.getvalue().splitlines() if line.startswith("{")]
    assert [r["logger"] for r in lines] == ["assistant.example", "uvicorn.error"]
    assert "about her appeal" in lines[0]["msg"] and "ValueError" in lines[1]["msg"]
    text = service_logging.getvalue()
    assert "Whitfield" not in text and "555-201-3344" not in text


def test_a_record_logged_inside_the_deidentifier_neither_deadlocks_nor_leaks(service_logging: io.StringIO) -> None:
    """A worker holding the analyzer's lock logs (as Presidio does mid-analysis): the record is queued, and
    redacted once the lock is free; the synchronous filter in that thread withholds instead of waiting on itself."""
    deid = get_deidentifier()
    sync_buffer = io.StringIO()
    sync_handler = logging.StreamHandler(sync_buffer)
    sync_handler.addFilter(PhiRedactingFilter(deid))
    side = logging.getLogger("tests.side")
    side.addHandler(sync_handler)
    done = threading.Event()

    def worker() -> None:
        with deid._lock, __import__("guardrails.deid", fromlist=["_analyzing"])._analyzing():
            logging.getLogger("tests.worker").warning("recognizer note about Dana Whitfield")
            side.warning("side note about Dana Whitfield")
        done.set()

    try:
        thread = threading.Thread(target=worker, daemon=True)
        thread.start()
        assert done.wait(timeout=20), "logging inside the de-identifier deadlocked"
    finally:
        side.removeHandler(sync_handler)
    _flush()
    assert "Whitfield" not in service_logging.getvalue() + sync_buffer.getvalue()
    assert "recognizer note about" in service_logging.getvalue()  # queued, then redacted: not lost
    assert "withheld" in sync_buffer.getvalue()


def test_blank_daily_time_means_unset() -> None:
    assert Settings(env="test", auth_daily_at="").auth_daily_at is None
    with pytest.raises(ValueError, match="auth_daily_at"):
        Settings(env="test", auth_daily_at="7am")
