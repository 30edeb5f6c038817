"""Parity against a real vLLM server (CPU build) serving a tiny generated model.

Skipped unless ``PARITY_VLLM_PYTHON`` names a python that imports ``vllm`` (``make vllm-e2e``
builds one in ``.venv-vllm/``; recipe in ``deploy/vllm-cpu/``). The fixture generates the
deterministic tiny Llama (``deploy/vllm-cpu/make_tiny_model.py``), starts
``python -m vllm.entrypoints.openai.api_server`` on a loopback port and waits for ``/health``.
The tests then drive Parity's own code with ``PARITY_LLM_MODEL=hosted_vllm/tiny``.

The tiny model's answers are nonsense; guided JSON decoding makes them schema-valid. So the
tests assert structure, the engine, and the call records (model id, prompt sha), never content.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel, Field
from qdrant_client import QdrantClient
from typer.testing import CliRunner

import prompts
from assistant.cli import app
from assistant.copilot.checker import NoteChecker
from assistant.copilot.judge import LLMJudge
from assistant.copilot.models import CheckRequest
from assistant.copilot.rulepacks import get_registry
from assistant.gateway import LLMGateway
from assistant.runtime import Runtime
from assistant.settings import Settings, get_settings
from assistant.workflows.service import CaseService
from assistant.workflows.state import ReviewDecision
from guardrails.deid import get_deidentifier
from retrieval.policy_store import PolicyStore
from tests.retrieval.conftest import HashEmbedder

REPO = Path(__file__).resolve().parents[2]
VLLM_PYTHON = os.environ.get("PARITY_VLLM_PYTHON", "")  # read at import: the autouse fixture clears PARITY_*
MODEL = "hosted_vllm/tiny"
API_KEY = "vllm-e2e-key"
START_TIMEOUT_S = float(os.environ.get("PARITY_VLLM_START_TIMEOUT", "300"))


def _vllm_importable(python: str) -> bool:
    if not python or not Path(python).exists():
        return False
    probe = subprocess.run([python, "-c", "import vllm"], capture_output=True, timeout=120, check=False)
    return probe.returncode == 0


pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(not _vllm_importable(VLLM_PYTHON),
                       reason="set PARITY_VLLM_PYTHON to a python with vllm (make vllm-e2e)"),
]

NOTE = (
    "S: Client reports panic attacks 4 times this week and missed two shifts at work.\n"
    "A: F41.0 Panic disorder. Client tolerated session well.\n"
    "Denies SI/HI. Goal: fewer than 1 panic attack per week by [DATE_2].\n"
    "Used interoceptive exposure. Continued weekly CBT is needed because panic still limits work.\n"
    "P: Next session in one week. Individual session, 10:00-10:45 (45 minutes).\n"
    "Signed: [PROVIDER_1], LCSW, [DATE_1]\n"
)
TRANSCRIPT = (
    "Dr. Reyes: How was your week, Dana?\n"
    "Dana: I had 3 panic attacks and missed two days of work at Walmart.\n"
    "Dr. Reyes: Any thoughts of killing yourself?\n"
    "Dana: No, never.\n"
    "Dr. Reyes: Let's try cognitive restructuring. See you next week."
)


class FollowUp(BaseModel):
    has_follow_up: bool
    quote: str = Field(description="Exact words that show it.")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the API server's process group (its engine workers are children), then kill."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def vllm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Generate the tiny model, serve it with vLLM on loopback; yield the ``/v1`` base URL."""
    work = tmp_path_factory.mktemp("vllm")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "VLLM_CPU_KVCACHE_SPACE": "1",
           "VLLM_CACHE_ROOT": str(work / "cache"), "HOME": str(work)}
    model_dir = work / "tiny"
    subprocess.run([VLLM_PYTHON, str(REPO / "deploy" / "vllm-cpu" / "make_tiny_model.py"), str(model_dir)],
                   env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    log = (work / "vllm.log").open("wb")
    proc = subprocess.Popen(
        [VLLM_PYTHON, "-m", "vllm.entrypoints.openai.api_server", "--model", str(model_dir),
         "--served-model-name", "tiny", "--dtype", "float32", "--max-model-len", "4096", "--enforce-eager",
         "--structured-outputs-config", '{"backend": "xgrammar"}', "--api-key", API_KEY,
         "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"vLLM exited with {proc.returncode}; log: {work / 'vllm.log'}")
            try:
                if httpx.get(f"{root}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"vLLM not healthy after {START_TIMEOUT_S:g} s; log: {work / 'vllm.log'}")
            time.sleep(1)
        yield f"{root}/v1"
    finally:
        _stop(proc)
        log.close()


@pytest.fixture
def llm_settings(vllm_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings (and environment, for the CLI) pointing Parity at the vLLM server."""
    env = {"PARITY_LLM_MODEL": MODEL, "PARITY_LLM_API_BASE": vllm_server, "PARITY_LLM_API_KEY": API_KEY,
           "PARITY_LLM_MAX_TOKENS": "256", "PARITY_DATA_DIR": str(tmp_path / "var")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    return Settings(env="test", _env_file=None)  # type: ignore[call-arg]


def test_server_closes_json_and_stops(vllm_server: str) -> None:
    """The tiny model's bias makes guided decoding finish the object and emit eos."""
    body = {"model": "tiny", "messages": [{"role": "user", "content": "Answer in JSON."}], "max_tokens": 200,
            "response_format": {"type": "json_schema", "json_schema": {
                "name": "FollowUp", "schema": FollowUp.model_json_schema(), "strict": True}}}
    resp = httpx.post(f"{vllm_server}/chat/completions", json=body, timeout=60,
                      headers={"Authorization": f"Bearer {API_KEY}"})
    assert resp.status_code == 200, resp.text
    choice = resp.json()["choices"][0]
    assert choice["finish_reason"] == "stop"
    FollowUp.model_validate_json(choice["message"]["content"])
    unauthorized = httpx.post(f"{vllm_server}/chat/completions", json=body, timeout=60)
    assert unauthorized.status_code == 401  # --api-key is enforced


def test_doctor_reports_the_vllm_model(llm_settings: Settings) -> None:
    result = CliRunner().invoke(app, ["doctor", "--json"])
    payload = json.loads(result.stdout)
    assert payload["engine"] == "llm" and payload["model"] == MODEL
    llm = payload["components"]["llm"]
    assert llm["ok"] and "serving: tiny" in llm["detail"]


def test_structured_generate_returns_a_validated_object_and_a_call_record(llm_settings: Settings) -> None:
    variables = {"statement": "Plan: return in one week to continue exposure work."}
    result = asyncio.run(LLMGateway(llm_settings).generate("gateway_selftest", variables, FollowUp))
    assert isinstance(result.value, FollowUp)
    record = result.record
    assert record.engine == "llm" and record.model == MODEL
    assert record.prompt == "gateway_selftest"
    assert record.prompt_sha256 == prompts.render("gateway_selftest", variables).sha256
    assert record.prompt_tokens and record.prompt_tokens > 0
    assert record.completion_tokens and record.completion_tokens > 0
    assert 1 <= record.attempts <= llm_settings.llm_max_retries + 1
    assert record.parameters["max_tokens"] == 256 and record.parameters["response_format"] == "json_schema"


def test_copilot_judge_call(llm_settings: Settings) -> None:
    judge = LLMJudge(LLMGateway(llm_settings))
    checker = NoteChecker(get_registry(), get_deidentifier(), judge=judge)
    result = asyncio.run(checker.check(CheckRequest(note=NOTE, cpt="90834", minutes=45)))
    assert result.engine == "llm"
    assert judge.records, "a borderline item went to the model"
    for record in judge.records:
        assert record.engine == "llm" and record.model == MODEL and record.prompt == "copilot_judge"
        assert len(record.prompt_sha256) == 64
    assert {item.status for item in result.items} <= {"met", "partial", "missing"}


def test_note_case_end_to_end(llm_settings: Settings, tmp_path: Path) -> None:
    runtime = Runtime(llm_settings)
    store = PolicyStore(QdrantClient(":memory:"), HashEmbedder())
    store.ensure()
    runtime.__dict__["policy_store"] = store
    svc = CaseService(runtime)
    try:
        view = svc.start_note(TRANSCRIPT, owner="clin-1", tenant="t1", cpt="90834", payer="lakeshore-health",
                              minutes=45)
        assert view.status == "awaiting_review" and view.pending is not None
        assert view.pending.role == "clinician" and "approve" in view.pending.allowed
        assert "Dana" not in view.pending.text and "Walmart" not in view.pending.text
        draft = view.draft or {}
        assert draft["engine"] == "llm"
        calls = draft["calls"]
        assert [c["prompt"] for c in calls][:1] == ["scribe_extract"] and calls[-1]["prompt"] == "scribe_write"
        assert all(c["engine"] == "llm" and c["model"] == MODEL and len(c["prompt_sha256"]) == 64 for c in calls)
        assert view.checklist is not None and view.checklist["cpt"] == "90834"
        done = svc.decide(view.case_id, ReviewDecision(action="approve", actor="clin-1"))
        assert done.status == "signed" and done.signed
        assert svc.records.signed_note(view.case_id) is not None
        actions = [e.action for e in runtime.audit.events(case_id=view.case_id)]
        assert actions == ["case.create", "review.approve"]
        assert runtime.audit.verify().ok
    finally:
        runtime.close()
