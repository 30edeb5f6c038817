"""Logging of the running service: one line per record, every record through the PHI redaction filter.

uvicorn's own loggers do not propagate to the root logger, so the filter sits on the one handler that
all of them (and the root, where Parity's modules log) share.
"""

from __future__ import annotations

from typing import Any


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` mapping (also uvicorn's ``log_config``) with PHI redaction on."""
    quiet = {"handlers": ["stdout"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"phi": {"()": "guardrails.scanner.PhiRedactingFilter"}},
        "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                                "formatter": "line", "filters": ["phi"]}},
        "loggers": {name: dict(quiet) for name in ("uvicorn", "uvicorn.error", "uvicorn.access")},
        "root": {"handlers": ["stdout"], "level": level},
    }
