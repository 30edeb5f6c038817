"""The gateway end to end through litellm's ``hosted_vllm/`` provider and a real HTTP server."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pydantic import BaseModel, Field

from assistant.gateway import LLMGateway, LLMInvalidOutputError, LLMTimeoutError
from assistant.settings import Settings

pytestmark = pytest.mark.integration


class FollowUp(BaseModel):
    has_follow_up: bool
    quote: str = Field(description="Exact words that show it.")


VARS = {"statement": "Plan: return in one week to continue exposure work."}


def gateway(settings: Settings, base: str, model: str, **overrides: object) -> LLMGateway:
    data = settings.model_dump() | {
        "llm_model": f"hosted_vllm/{model}",
        "llm_api_base": base,
        "llm_api_key": "test-key",
    } | overrides
    return LLMGateway(Settings.model_validate(data))


def requests_seen(base: str) -> list[dict]:
    root = base.removesuffix("/v1")
    return httpx.get(f"{root}/_requests").json()


def reset(base: str) -> None:
    httpx.post(base.removesuffix("/v1") + "/_reset", json={})


def test_vllm_receives_model_messages_and_json_schema(settings: Settings, fake_llm_server: str) -> None:
    reset(fake_llm_server)
    result = asyncio.run(
        gateway(settings, fake_llm_server, "valid").generate("gateway_selftest", VARS, FollowUp)
    )
    assert result.value == FollowUp(has_follow_up=True, quote="x")
    assert result.record.prompt_tokens == 11 and result.record.completion_tokens == 7
    (body,) = requests_seen(fake_llm_server)
    assert body["model"] == "valid"
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "return in one week" in body["messages"][1]["content"]
    assert body["temperature"] == 0.0
    assert body["max_tokens"] == settings.llm_max_tokens
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {
            "name": "FollowUp",
            "schema": FollowUp.model_json_schema(),
            "strict": True,
        },
    }


def test_json_object_mode_for_llama_cpp_style_servers(settings: Settings, fake_llm_server: str) -> None:
    reset(fake_llm_server)
    gw = gateway(settings, fake_llm_server, "valid", llm_response_format="json_object")
    asyncio.run(gw.generate("gateway_selftest", VARS, FollowUp))
    (body,) = requests_seen(fake_llm_server)
    assert body["response_format"] == {"type": "json_object", "schema": FollowUp.model_json_schema()}


def test_retry_after_invalid_answer_over_http(settings: Settings, fake_llm_server: str) -> None:
    reset(fake_llm_server)
    result = asyncio.run(
        gateway(settings, fake_llm_server, "invalid-then-valid").generate(
            "gateway_selftest", VARS, FollowUp
        )
    )
    assert result.record.attempts == 2
    first, second = requests_seen(fake_llm_server)
    assert len(second["messages"]) == len(first["messages"]) + 2
    assert "did not match the required JSON schema" in second["messages"][-1]["content"]


def test_always_invalid_over_http(settings: Settings, fake_llm_server: str) -> None:
    gw = gateway(settings, fake_llm_server, "always-invalid", llm_max_retries=1)
    with pytest.raises(LLMInvalidOutputError, match="after 2 attempts"):
        asyncio.run(gw.generate("gateway_selftest", VARS, FollowUp))


def test_timeout_over_http(settings: Settings, fake_llm_server: str) -> None:
    gw = gateway(settings, fake_llm_server, "slow", llm_timeout_s=0.5)
    with pytest.raises(LLMTimeoutError):
        asyncio.run(gw.generate("gateway_selftest", VARS, FollowUp))


def test_ping_reports_served_models(settings: Settings, fake_llm_server: str) -> None:
    ok, detail = asyncio.run(gateway(settings, fake_llm_server, "valid").ping())
    assert ok and "valid" in detail


def test_ping_reports_unreachable_server(settings: Settings) -> None:
    ok, detail = asyncio.run(gateway(settings, "http://127.0.0.1:9/v1", "valid").ping())
    assert not ok and "unreachable" in detail
