"""Service skeleton: /healthz, /readyz, OpenAPI, CLI version/doctor/eval errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.settings import Settings

PARITY = [sys.executable, "-m", "assistant.cli"]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PARITY, *args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )


def test_healthz_and_readyz_on_embedded_defaults(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        ready = client.get("/readyz")
        body = ready.json()
        assert ready.status_code == 200, body
        assert body["engine"] == "offline" and body["model"] is None
        assert set(body["components"]) == {"database", "vector_store", "llm", "deidentifier"}
        assert all(c["ok"] for c in body["components"].values()), body
        assert client.get("/openapi.json").status_code == 200


def test_readyz_is_503_and_names_the_broken_component(settings: Settings) -> None:
    broken = settings.model_copy(update={"llm_model": "hosted_vllm/x", "llm_api_base": "http://127.0.0.1:9/v1"})
    with TestClient(create_app(broken)) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["components"]["llm"]["ok"] is False


def test_cli_version_prints_one_json_document() -> None:
    out = cli("version", "--json")
    assert out.returncode == 0
    assert json.loads(out.stdout) == {"version": "0.1.0"}


@pytest.mark.integration
def test_cli_doctor_offline_then_llm(tmp_path: Path, fake_llm_server: str) -> None:
    env = {"PARITY_DATA_DIR": str(tmp_path / "var")}
    offline = cli("doctor", "--json", env=env)
    assert offline.returncode == 0, offline.stderr
    doc = json.loads(offline.stdout)
    assert doc["engine"] == "offline" and doc["model"] is None
    assert all(c["ok"] for c in doc["components"].values()), doc
    llm = cli(
        "doctor", "--json",
        env={**env, "PARITY_LLM_MODEL": "hosted_vllm/valid", "PARITY_LLM_API_BASE": fake_llm_server},
    )
    assert llm.returncode == 0, llm.stderr
    doc = json.loads(llm.stdout)
    assert doc["engine"] == "llm" and doc["model"] == "hosted_vllm/valid"
    assert doc["components"]["llm"]["ok"] is True


def test_cli_errors_are_one_line_and_non_zero() -> None:
    out = cli("eval", "no-such-suite", "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and "known:" in out.stderr


def test_cli_doctor_fails_when_llm_unreachable(tmp_path: Path) -> None:
    out = cli(
        "doctor", "--json",
        env={"PARITY_DATA_DIR": str(tmp_path), "PARITY_LLM_MODEL": "hosted_vllm/x",
             "PARITY_LLM_API_BASE": "http://127.0.0.1:9/v1"},
    )
    assert out.returncode == 1
    assert json.loads(out.stdout)["components"]["llm"]["ok"] is False


def test_metrics_endpoint_reports_requests_llm_and_backlog(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from assistant.api.app import create_app
    from assistant.metrics import observe_llm_call

    settings = Settings(env="test", data_dir=tmp_path, load_sample_policies=False)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        observe_llm_call("scribe_extract", 0.4, 120, 30)
        body = client.get("/metrics").text
    assert 'parity_request_seconds_count{method="GET",route="/healthz",status="200"}' in body
    assert 'parity_llm_tokens_total{kind="prompt",prompt="scribe_extract"}' in body
    assert "parity_llm_in_flight 0.0" in body and "parity_review_backlog" in body
