"""deploy/logging.yaml: every handler redacts PHI; the filter is the project's own."""

from __future__ import annotations

import io
import logging
import logging.config
from pathlib import Path
from typing import Any

import pytest
import yaml

from guardrails.scanner import PhiRedactingFilter

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "logging.yaml"


def config() -> dict[str, Any]:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def test_every_handler_and_uvicorn_logger_goes_through_the_phi_filter() -> None:
    cfg = config()
    assert cfg["filters"]["phi"]["()"] == "guardrails.scanner.PhiRedactingFilter"
    assert all("phi" in h.get("filters", []) for h in cfg["handlers"].values())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        assert cfg["loggers"][name]["handlers"] and cfg["loggers"][name]["propagate"] is False
    assert cfg["root"]["handlers"]


def test_config_loads_and_redacts(monkeypatch: pytest.MonkeyPatch) -> None:
    # a stand-in for the de-identifier keeps this test free of the spaCy model
    monkeypatch.setattr("guardrails.scanner.redact", lambda text, deid=None: text.replace("Dana Reyes", "[PERSON]"))
    cfg = config()
    stream = io.StringIO()
    cfg["handlers"]["stdout"]["stream"] = stream
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, root.filters[:])
    try:
        logging.config.dictConfig(cfg)
        logging.getLogger("uvicorn.error").info("signed note for %s", "Dana Reyes")
        handler = logging.getLogger("uvicorn.error").handlers[0]
        assert any(isinstance(f, PhiRedactingFilter) for f in handler.filters)
    finally:
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            logging.getLogger(name).handlers.clear()
            logging.getLogger(name).propagate = True
        root.handlers[:], root.filters[:] = saved[0], saved[2]
        root.setLevel(saved[1])
    line = stream.getvalue()
    assert "Dana" not in line and "[PERSON]" in line and '"level": "INFO"' in line
