"""ragas faithfulness judged through Parity's gateway against a real OpenAI-compatible server (the test one)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from assistant.gateway import LLMGateway, OfflineUnavailableError
from assistant.runtime import Runtime
from assistant.settings import Settings
from eval.ragas_llm import GatewayJudge, _faithfulness, pseudonymize_together


def test_faithfulness_goes_through_the_gateway_to_the_endpoint(fake_llm_server: str, tmp_path: Path) -> None:
    httpx.post(f"{fake_llm_server.removesuffix('/v1')}/_reset")
    settings = Settings(env="test", data_dir=tmp_path, llm_model="hosted_vllm/valid", llm_api_base=fake_llm_server)
    judge = GatewayJudge(LLMGateway(settings))
    result = asyncio.run(_faithfulness(judge, [("n1", "Write the note.", "Client reports 2 panic attacks.",
                                                ["Client: I had 2 panic attacks this week."])]))
    assert result["scored"] == 1 and 0.0 <= result["mean"] <= 1.0
    assert judge.calls == 2  # statements, then NLI verdicts
    bodies = httpx.get(f"{fake_llm_server.removesuffix('/v1')}/_requests").json()
    assert len(bodies) == 2 and all(b["response_format"]["type"] == "json_schema" for b in bodies)
    assert "panic attacks" in bodies[0]["messages"][0]["content"]


def test_structured_needs_a_model(tmp_path: Path) -> None:
    gateway = LLMGateway(Settings(env="test", data_dir=tmp_path))
    with pytest.raises(OfflineUnavailableError):
        asyncio.run(gateway.structured("hello", Settings))  # type: ignore[arg-type]


def test_response_and_contexts_share_placeholders(tmp_path: Path) -> None:
    runtime = Runtime(Settings(env="test", data_dir=tmp_path))
    letter, contexts = pseudonymize_together(runtime.deidentifier, "Dana Whitfield was seen on 03/04/2025.",
                                             ["Patient: Dana Whitfield", "Dana reports panic."])
    assert "Whitfield" not in letter and all("Whitfield" not in c for c in contexts)
    placeholder = letter.split(" was")[0]
    assert placeholder in contexts[0] and len(contexts) == 2
