"""deploy/logging.yaml: the service's own log configuration as a file for ``uvicorn --log-config``."""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.logs import log_config

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "logging.yaml"


def test_the_file_is_the_mapping_parity_serve_uses() -> None:
    assert yaml.safe_load(CONFIG.read_text(encoding="utf-8")) == log_config()


def test_every_logger_writes_through_the_redacting_handler() -> None:
    cfg = log_config()
    assert cfg["handlers"] == {"redacted": {"()": "assistant.logs.RedactingQueueHandler", "stream": "ext://sys.stdout"}}
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        assert cfg["loggers"][name]["handlers"] == ["redacted"] and cfg["loggers"][name]["propagate"] is False
    assert cfg["root"]["handlers"] == ["redacted"]
