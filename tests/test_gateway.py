"""LLM gateway: validation, retries, timeout, concurrency, call records, offline engine."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest
from pydantic import BaseModel

import prompts
from assistant.gateway import (
    LLMGateway,
    LLMInvalidOutputError,
    LLMTimeoutError,
    OfflineUnavailableError,
    response_format_for,
)
from assistant.settings import Settings
from tests.llm_fakes import ScriptedLLM


class FollowUp(BaseModel):
    has_follow_up: bool
    quote: str


VALID = json.dumps({"has_follow_up": True, "quote": "see you Tuesday"})
VARS = {"statement": "Plan: see you Tuesday at the same time."}


def llm_settings(settings: Settings, **overrides: object) -> Settings:
    data = settings.model_dump() | {"llm_model": "hosted_vllm/test-model"} | overrides
    return Settings.model_validate(data)


def test_when_answer_is_valid_then_value_and_record_are_returned(settings: Settings) -> None:
    fake = ScriptedLLM([VALID])
    gw = LLMGateway(llm_settings(settings), completion=fake)
    result = asyncio.run(gw.generate("gateway_selftest", VARS, FollowUp))
    assert result.value == FollowUp(has_follow_up=True, quote="see you Tuesday")
    rec = result.record
    assert rec.engine == "llm" and rec.model == "hosted_vllm/test-model"
    assert rec.attempts == 1
    source = (prompts.PROMPTS_DIR / "gateway_selftest" / "v1.md.j2").read_bytes()
    assert rec.prompt == "gateway_selftest" and rec.prompt_version == "v1"
    assert rec.prompt_sha256 == hashlib.sha256(source).hexdigest()
    assert rec.parameters["temperature"] == 0.0
    assert rec.parameters["max_tokens"] == settings.llm_max_tokens
    assert rec.prompt_tokens and rec.prompt_tokens > 0
    assert rec.completion_tokens and rec.completion_tokens > 0
    assert rec.latency_ms >= 0
    sent = fake.calls[0]
    assert sent["model"] == "hosted_vllm/test-model"
    assert sent["temperature"] == 0.0
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"] == FollowUp.model_json_schema()
    assert "see you Tuesday at the same time" in sent["messages"][-1]["content"]
    assert sent["messages"][0]["role"] == "system"


def test_when_first_answer_is_invalid_then_error_is_fed_back_and_retry_succeeds(
    settings: Settings,
) -> None:
    fake = ScriptedLLM(['{"has_follow_up": "perhaps"}', VALID])
    gw = LLMGateway(llm_settings(settings), completion=fake)
    result = asyncio.run(gw.generate("gateway_selftest", VARS, FollowUp))
    assert result.record.attempts == 2
    assert result.value.has_follow_up is True
    retry_messages = fake.calls[1]["messages"]
    assert retry_messages[-2] == {"role": "assistant", "content": '{"has_follow_up": "perhaps"}'}
    feedback = retry_messages[-1]["content"]
    assert "has_follow_up" in feedback and "quote" in feedback  # both failing fields named


def test_when_answers_are_always_invalid_then_clear_error_and_no_result(settings: Settings) -> None:
    fake = ScriptedLLM(["not json at all"])
    gw = LLMGateway(llm_settings(settings, llm_max_retries=2), completion=fake)
    with pytest.raises(LLMInvalidOutputError, match="after 3 attempts") as info:
        asyncio.run(gw.generate("gateway_selftest", VARS, FollowUp))
    assert len(fake.calls) == 3
    assert "not json at all" not in str(info.value)  # the answer's text never leaks into errors


def test_when_model_is_slow_then_timeout_error(settings: Settings) -> None:
    fake = ScriptedLLM([VALID], delay_s=2.0)
    gw = LLMGateway(llm_settings(settings, llm_timeout_s=0.2), completion=fake)
    with pytest.raises(LLMTimeoutError, match=r"0\.2 s"):
        asyncio.run(gw.generate("gateway_selftest", VARS, FollowUp))


def test_concurrency_is_limited(settings: Settings) -> None:
    fake = ScriptedLLM([VALID], delay_s=0.05)
    gw = LLMGateway(llm_settings(settings, llm_concurrency=2), completion=fake)

    async def many() -> list[object]:
        return await asyncio.gather(
            *(gw.generate("gateway_selftest", VARS, FollowUp) for _ in range(8))
        )

    results = asyncio.run(many())
    assert len(results) == 8 and len(fake.calls) == 8
    assert fake.max_in_flight == 2


def test_offline_engine_runs_the_capability_and_says_so(settings: Settings) -> None:
    gw = LLMGateway(settings)
    result = asyncio.run(
        gw.generate(
            "gateway_selftest",
            VARS,
            FollowUp,
            offline=lambda: FollowUp(has_follow_up=True, quote="see you Tuesday"),
        )
    )
    assert gw.engine == "offline"
    assert result.record.engine == "offline" and result.record.model is None
    assert result.record.prompt_tokens is None and result.record.attempts == 0


def test_offline_engine_without_implementation_is_an_error(settings: Settings) -> None:
    with pytest.raises(OfflineUnavailableError, match="PARITY_LLM_MODEL"):
        asyncio.run(LLMGateway(settings).generate("gateway_selftest", VARS, FollowUp))


def test_json_object_mode_carries_the_schema() -> None:
    fmt = response_format_for(FollowUp, "json_object")
    assert fmt == {"type": "json_object", "schema": FollowUp.model_json_schema()}
