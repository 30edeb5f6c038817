"""The service's log configuration: every line passes the PHI redaction filter."""

from __future__ import annotations

import io
import logging
import logging.config
from collections.abc import Iterator

import pytest

from assistant.logs import log_config
from assistant.settings import Settings
from guardrails.deid import get_deidentifier
from guardrails.scanner import PhiRedactingFilter


@pytest.fixture
def service_logging() -> Iterator[None]:
    """Apply the service's log configuration, then put every touched logger back as it was."""
    names = ["", "uvicorn", "uvicorn.error", "uvicorn.access"]
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level, logging.getLogger(n).propagate)
             for n in names}
    logging.config.dictConfig(log_config())
    yield
    for n, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(n)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


def test_service_logs_are_redacted(service_logging: None) -> None:
    get_deidentifier()  # `parity serve` builds it before the first log line
    buffer = io.StringIO()
    handler = next(h for h in logging.getLogger("uvicorn.error").handlers
                   if isinstance(h, logging.StreamHandler) and any(isinstance(f, PhiRedactingFilter) for f in h.filters))
    assert handler in logging.getLogger().handlers  # uvicorn's loggers and the root share the filtered handler
    handler.setStream(buffer)
    logging.getLogger("assistant.example").warning("call Dana Whitfield at 555-201-3344 about her appeal")
    logging.getLogger("uvicorn.error").error("request from Dana Whitfield failed")
    out = buffer.getvalue()
    assert "about her appeal" in out and "failed" in out
    assert "Whitfield" not in out and "555-201-3344" not in out


def test_blank_daily_time_means_unset() -> None:
    assert Settings(env="test", auth_daily_at="").auth_daily_at is None
    with pytest.raises(ValueError, match="auth_daily_at"):
        Settings(env="test", auth_daily_at="7am")
