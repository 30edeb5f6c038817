"""The LLM response cache: a second identical request is answered from disk, not by the model."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from eval.llm_cache import cache_requested, disable_llm_cache, enable_llm_cache

# litellm's cache-hit path imports its proxy models, whose pydantic TypedDicts warn at import
pytestmark = pytest.mark.filterwarnings("ignore:Item.*ReadOnly. qualifier:UserWarning")

REQUEST = {"model": "hosted_vllm/fake", "api_base": "http://127.0.0.1:9/v1",
           "messages": [{"role": "user", "content": "Summarize: client slept 5 hours."}], "temperature": 0.0}


@pytest.fixture
def cache_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "llm-cache"
    disable_llm_cache()


async def _ask(answer: str, **changes: object) -> tuple[str, bool]:
    import litellm  # imported at use, like everywhere in Parity: importing it at collection changes other tests

    response = await litellm.acompletion(**{**REQUEST, **changes}, mock_response=answer)
    await asyncio.sleep(0.05)  # litellm stores the response from a success callback
    return response.choices[0].message.content, bool(response._hidden_params.get("cache_hit"))


def test_when_same_request_twice_then_second_answer_comes_from_cache(cache_dir: Path) -> None:
    backend = enable_llm_cache(cache_dir)

    async def go() -> list[tuple[str, bool]]:
        return [await _ask("first"), await _ask("second"), await _ask("third", temperature=0.7)]

    first, second, other = asyncio.run(go())
    assert first == ("first", False)
    assert second == ("first", True)  # the model (mock) would have said "second"
    assert other == ("third", False)  # a different parameter is a different request
    assert len(backend) == 2 and any(cache_dir.iterdir())


def test_when_cache_reopened_then_stored_answer_survives(cache_dir: Path) -> None:
    enable_llm_cache(cache_dir)
    asyncio.run(_ask("stored"))
    disable_llm_cache()
    enable_llm_cache(cache_dir)
    assert asyncio.run(_ask("fresh")) == ("stored", True)


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("0", False), ("", False)])
def test_when_env_flag_set_then_cache_requested(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("PARITY_EVAL_LLM_CACHE", value)
    assert cache_requested() is expected
