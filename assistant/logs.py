"""Logging of the running service: one JSON line per record, every record through the PHI redaction filter.

Redaction runs a Presidio analysis, so it must not run where the record is logged: on the event loop it
would stall every request, and in a worker thread that holds the de-identifier's lock it would wait on
itself. ``RedactingQueueHandler`` hands each record to one writer thread that redacts and writes it.
uvicorn's own loggers do not propagate to the root logger, so all of them share that one handler.
"""

from __future__ import annotations

import copy
import json
import logging
import queue
import sys
import threading
from logging.handlers import QueueHandler, QueueListener
from typing import IO, Any

from guardrails.scanner import PhiRedactingFilter, redacting_in_this_thread

_PLAIN = logging.Formatter()


class JsonLineFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg"}`` on one line (log shippers parse it without a grok pattern)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON object."""
        return json.dumps({"ts": self.formatTime(record), "level": record.levelname, "logger": record.name,
                           "msg": record.getMessage()}, ensure_ascii=False)


def _withhold_reentrant(record: logging.LogRecord) -> bool:
    if redacting_in_this_thread():  # logged by the writer thread while it redacts: nothing can check it
        record.msg, record.args, record.exc_info, record.exc_text = "[withheld: logged during redaction]", None, None, None
    return True


class RedactingQueueHandler(QueueHandler):
    """Queues records; a writer thread redacts PHI from each and writes it to ``stream`` (stdout by default)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        """Start the writer thread."""
        super().__init__(queue.Queue())
        self.target = logging.StreamHandler(stream or sys.stdout)
        self.target.setFormatter(JsonLineFormatter())
        self.target.addFilter(PhiRedactingFilter())
        self.addFilter(_withhold_reentrant)
        self._listener = QueueListener(self.queue, self.target)
        self._listener.start()

    def setFormatter(self, fmt: logging.Formatter | None) -> None:
        """The line format applies after redaction, in the writer thread."""
        self.target.setFormatter(fmt)

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        """Merge message, arguments and traceback into one text (redacted as a whole, in the writer)."""
        record = copy.copy(record)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        if record.exc_info:
            message += "\n" + _PLAIN.formatException(record.exc_info)
        elif record.exc_text:
            message += "\n" + record.exc_text
        if record.stack_info:
            message += "\n" + _PLAIN.formatStack(record.stack_info)
        record.msg, record.args, record.exc_info, record.exc_text, record.stack_info = message, None, None, None, None
        return record

    def flush(self) -> None:
        """Wait until the writer has written everything queued so far (not from the writer itself)."""
        thread = getattr(self._listener, "_thread", None)
        if thread is not None and thread is not threading.current_thread():
            self.queue.join()  # type: ignore[attr-defined]
        self.target.flush()

    def close(self) -> None:
        """Drain the queue, stop the writer thread, close the stream handler."""
        if getattr(self._listener, "_thread", None) is not None:
            self._listener.stop()
        self.target.close()
        super().close()


def log_config(level: str = "INFO", stream: Any = "ext://sys.stdout") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` mapping (also uvicorn's ``log_config``) with PHI redaction on.

    ``deploy/logging.yaml`` is this mapping as a file, for ``uvicorn --log-config``.
    """
    quiet = {"handlers": ["redacted"], "level": level, "propagate": False}
    loggers: dict[str, Any] = {name: dict(quiet) for name in ("uvicorn", "uvicorn.error", "uvicorn.access")}
    loggers["presidio-analyzer"] = {"level": "WARNING"}  # it logs at INFO on every analysis, redaction included
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"redacted": {"()": "assistant.logs.RedactingQueueHandler", "stream": stream}},
        "loggers": loggers,
        "root": {"handlers": ["redacted"], "level": level},
    }
