"""Scale note: Qdrant local mode is single-process, so a multi-replica api must use the Qdrant server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.runtime import Runtime
from assistant.settings import Settings
from tests.deploy.test_compose import rendered

CHART = Path(__file__).resolve().parents[2] / "deploy" / "helm" / "parity"


def test_compose_replicas_get_the_qdrant_server_and_postgres(monkeypatch: pytest.MonkeyPatch) -> None:
    api = rendered()["services"]["api"]
    assert int(api["deploy"]["replicas"]) > 1
    for key, value in api["environment"].items():
        monkeypatch.setenv(key, str(value))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.env == "production"
    assert settings.qdrant_url == "http://qdrant:6333"
    assert settings.resolved_database_url.startswith("postgresql+psycopg://")
    assert settings.engine == "llm"

    opened: list[dict[str, Any]] = []

    def open_client(**kwargs: Any) -> object:
        opened.append(kwargs)
        return object()

    monkeypatch.setattr("assistant.runtime.open_client", open_client)
    Runtime(settings).qdrant  # noqa: B018 - opening the client is the point
    assert opened and opened[0]["url"] == "http://qdrant:6333" and opened[0]["api_key"] == "qdrant-key"


def test_without_a_url_parity_falls_back_to_single_process_local_mode(tmp_path: Path) -> None:
    settings = Settings(env="test", data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert settings.qdrant_url is None and settings.resolved_qdrant_path == tmp_path / "qdrant"


def test_helm_api_always_gets_a_qdrant_server_url() -> None:
    deployment = (CHART / "templates" / "api-deployment.yaml").read_text(encoding="utf-8")
    block = re.search(r"- name: PARITY_QDRANT_URL\n\s+value: (.+)", deployment)
    assert block and "parity.qdrantUrl" in block.group(1)
    env_section = deployment[deployment.index("env:"):deployment.index("startupProbe:")]
    before = env_section[:env_section.index("PARITY_QDRANT_URL")]
    assert before.count("{{- if") == before.count("{{- end"), "PARITY_QDRANT_URL is not behind a condition"
    helpers = (CHART / "templates" / "_helpers.tpl").read_text(encoding="utf-8")
    url_helper = helpers[helpers.index('define "parity.qdrantUrl"'):]
    url_helper = url_helper[:url_helper.index("{{- end -}}\n{{- end -}}")]
    assert "http://" in url_helper and ".Values.qdrant.externalUrl" in url_helper
    values = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    assert values["api"]["replicaCount"] > 1 and values["api"]["autoscaling"]["minReplicas"] > 1
    assert values["qdrant"]["externalUrl"].startswith("http")
    assert values["api"]["persistence"]["accessMode"] == "ReadWriteMany", "replicas share the vault files"
