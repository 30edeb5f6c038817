"""Settings: embedded defaults, PARITY_ prefix, production refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.settings import Settings


def test_embedded_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARITY_DATA_DIR")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.data_dir == Path("var")
    assert s.resolved_database_url == "sqlite:///var/parity.db"
    assert s.qdrant_url is None and s.resolved_qdrant_path == Path("var/qdrant")
    assert s.engine == "offline" and s.llm_temperature == 0.0


def test_prefix_switches_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITY_LLM_MODEL", "hosted_vllm/x")
    monkeypatch.setenv("PARITY_LLM_API_BASE", "http://127.0.0.1:9/v1")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.engine == "llm" and s.llm_api_base == "http://127.0.0.1:9/v1"


def test_production_refuses_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITY_ENV", "production")
    monkeypatch.setenv("PARITY_VAULT_KEY", "k" * 44)
    with pytest.raises(ValidationError, match="PARITY_SECRET_KEY"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_production_refuses_unset_vault_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITY_ENV", "production")
    monkeypatch.setenv("PARITY_SECRET_KEY", "a-real-secret-from-the-operator")
    with pytest.raises(ValidationError, match="PARITY_VAULT_KEY"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_production_accepts_real_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITY_ENV", "production")
    monkeypatch.setenv("PARITY_SECRET_KEY", "a-real-secret-from-the-operator")
    monkeypatch.setenv("PARITY_VAULT_KEY", "k" * 44)
    assert Settings(_env_file=None).env == "production"  # type: ignore[call-arg]
