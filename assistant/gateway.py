"""The one door to the language model.

Every model call in Parity goes through :class:`LLMGateway.generate`: it renders a
prompt from the registry, calls litellm (production: ``hosted_vllm/<model>`` at a
vLLM server's ``/v1``) asking for JSON that matches a pydantic schema, validates the
answer, retries a bounded number of times feeding the validation error back, and
enforces a timeout and a concurrency limit. It returns the validated object and a
:class:`CallRecord` for the audit trail.

With no model configured the gateway runs the *offline engine*: the capability's
own deterministic implementation, recorded as ``engine: "offline"`` with no model id,
so nothing pretends an LLM ran.
"""

from __future__ import annotations

import asyncio
import json
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

import prompts
from assistant.metrics import LLM_IN_FLIGHT, observe_llm_call
from assistant.settings import Settings

T = TypeVar("T", bound=BaseModel)
CompletionFn = Callable[..., Awaitable[Any]]


class LLMError(RuntimeError):
    """A model call failed; the message never contains the prompt or the answer."""


class LLMTimeoutError(LLMError):
    """The model did not answer within the configured timeout."""


class LLMInvalidOutputError(LLMError):
    """The model's answers never matched the schema within the retry budget."""


class OfflineUnavailableError(LLMError):
    """No model is configured and the capability has no offline implementation."""


class CallRecord(BaseModel):
    """What the audit trail keeps of one gateway call."""

    engine: Literal["offline", "llm"]
    prompt: str
    prompt_version: str
    prompt_sha256: str
    model: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    latency_ms: float
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    attempts: int = 0


class GatewayResult(BaseModel, Generic[T]):
    """A validated answer and the record of how it was obtained."""

    value: T
    record: CallRecord


def response_format_for(
    schema: type[BaseModel], mode: Literal["json_schema", "json_object"]
) -> dict[str, Any]:
    """The ``response_format`` body field asking for JSON matching ``schema``.

    ``json_schema`` is the OpenAI/vLLM form; ``json_object`` with a ``schema`` key is
    what llama.cpp's server accepts.
    """
    json_schema = schema.model_json_schema()
    if mode == "json_object":
        return {"type": "json_object", "schema": json_schema}
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": json_schema, "strict": True},
    }


def _validation_summary(exc: ValidationError) -> str:
    """Validation errors as locations and messages, without the offending input."""
    parts = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = ".".join(str(p) for p in err.get("loc", ())) or "<root>"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)[:2000]


def _usage(response: Any) -> tuple[int | None, int | None]:
    usage = getattr(response, "usage", None)
    if usage is None:
        return None, None
    return getattr(usage, "prompt_tokens", None), getattr(usage, "completion_tokens", None)


def _content(response: Any) -> str:
    try:
        content = response.choices[0].message.content
    except (AttributeError, IndexError) as exc:
        raise LLMError("model response had no message content") from exc
    return content or ""


class LLMGateway:
    """Renders prompts, calls the model through litellm, validates and records."""

    def __init__(self, settings: Settings, completion: CompletionFn | None = None) -> None:
        """Create a gateway; ``completion`` replaces ``litellm.acompletion`` in tests."""
        self.settings = settings
        self._completion = completion
        self._semaphores: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.Semaphore
        ] = weakref.WeakKeyDictionary()

    @property
    def engine(self) -> Literal["offline", "llm"]:
        """``llm`` when a model is configured, else ``offline``."""
        return self.settings.engine

    @property
    def parameters(self) -> dict[str, Any]:
        """Sampling parameters sent with every call."""
        return {
            "temperature": self.settings.llm_temperature,
            "max_tokens": self.settings.llm_max_tokens,
            "timeout_s": self.settings.llm_timeout_s,
            "response_format": self.settings.llm_response_format,
        }

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        sem = self._semaphores.get(loop)
        if sem is None:
            sem = asyncio.Semaphore(self.settings.llm_concurrency)
            self._semaphores[loop] = sem
        return sem

    async def _complete(self, messages: list[dict[str, str]], schema: type[BaseModel]) -> Any:
        completion = self._completion
        if completion is None:
            import litellm  # imported lazily: keeps CLI start fast and offline defaults first

            completion = litellm.acompletion
        s = self.settings
        kwargs: dict[str, Any] = {
            "model": s.llm_model,
            "messages": messages,
            "temperature": s.llm_temperature,
            "max_tokens": s.llm_max_tokens,
            "response_format": response_format_for(schema, s.llm_response_format),
            "timeout": s.llm_timeout_s,
            "num_retries": 0,
        }
        if s.llm_api_base:
            kwargs["api_base"] = s.llm_api_base
        if s.llm_api_key is not None:
            kwargs["api_key"] = s.llm_api_key.get_secret_value()
        try:
            return await asyncio.wait_for(completion(**kwargs), timeout=s.llm_timeout_s)
        except TimeoutError as exc:
            raise LLMTimeoutError(f"model did not answer within {s.llm_timeout_s:g} s") from exc
        except Exception as exc:  # litellm maps provider errors to many types
            if "timeout" in type(exc).__name__.lower():
                raise LLMTimeoutError(
                    f"model did not answer within {s.llm_timeout_s:g} s"
                ) from exc
            raise LLMError(f"model call failed: {type(exc).__name__}") from exc

    async def generate(
        self,
        task: str,
        variables: dict[str, Any],
        schema: type[T],
        *,
        offline: Callable[[], T] | None = None,
        version: str | None = None,
    ) -> GatewayResult[T]:
        """Run prompt ``task`` and return an answer validated against ``schema``.

        Args:
            task: prompt task name in the registry.
            variables: template variables (de-identified text only).
            schema: pydantic model the answer must match.
            offline: deterministic implementation used when no model is configured.
            version: prompt version; the manifest's active one by default.

        Raises:
            OfflineUnavailableError: no model configured and no ``offline`` given.
            LLMTimeoutError: the model did not answer in time.
            LLMInvalidOutputError: no schema-valid answer within the retry budget.
        """
        rendered = prompts.render(task, variables, version)
        started = time.perf_counter()
        if self.engine == "offline":
            if offline is None:
                raise OfflineUnavailableError(
                    f"no model configured (PARITY_LLM_MODEL) and {task!r} has no offline engine"
                )
            value = offline()
            return GatewayResult[schema](  # type: ignore[valid-type]
                value=value,
                record=CallRecord(
                    engine="offline",
                    prompt=rendered.name,
                    prompt_version=rendered.version,
                    prompt_sha256=rendered.sha256,
                    latency_ms=(time.perf_counter() - started) * 1000,
                ),
            )

        value, attempts, prompt_tokens, completion_tokens = await self._validated(rendered.messages(), schema, task)
        observe_llm_call(rendered.name, time.perf_counter() - started, prompt_tokens, completion_tokens)
        record = CallRecord(
            engine="llm",
            prompt=rendered.name,
            prompt_version=rendered.version,
            prompt_sha256=rendered.sha256,
            model=self.settings.llm_model,
            parameters=self.parameters,
            latency_ms=(time.perf_counter() - started) * 1000,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            attempts=attempts,
        )
        return GatewayResult[schema](value=value, record=record)  # type: ignore[valid-type]

    async def _validated(self, messages: list[dict[str, str]], schema: type[T], what: str) -> tuple[T, int, int, int]:
        """Ask until the answer validates against ``schema`` (feeding the error back); value, attempts, tokens."""
        LLM_IN_FLIGHT.inc()
        try:
            return await self._attempts(messages, schema, what)
        finally:
            LLM_IN_FLIGHT.dec()

    async def _attempts(self, messages: list[dict[str, str]], schema: type[T], what: str) -> tuple[T, int, int, int]:
        prompt_tokens = completion_tokens = 0
        last_error = "no answer"
        attempts = 0
        async with self._semaphore():
            for attempts in range(1, self.settings.llm_max_retries + 2):
                response = await self._complete(messages, schema)
                p, c = _usage(response)
                prompt_tokens += p or 0
                completion_tokens += c or 0
                content = _content(response)
                try:
                    return schema.model_validate_json(content), attempts, prompt_tokens, completion_tokens
                except ValidationError as exc:
                    last_error = _validation_summary(exc)
                    messages = [
                        *messages,
                        {"role": "assistant", "content": content},
                        {
                            "role": "user",
                            "content": "That answer did not match the required JSON schema: "
                            f"{last_error}. Reply again with only the corrected JSON object.",
                        },
                    ]
        raise LLMInvalidOutputError(f"{what}: no schema-valid answer after {attempts} attempts ({last_error})")

    async def structured(self, prompt: str, schema: type[T]) -> T:
        """A schema-validated answer to a prompt that is not in the registry (evaluation judges such as ragas').

        Same endpoint, parameters, structured output, retries and concurrency limit as :meth:`generate`;
        the caller must pass de-identified text only.

        Raises:
            OfflineUnavailableError: no model configured.
            LLMTimeoutError: the model did not answer in time.
            LLMInvalidOutputError: no schema-valid answer within the retry budget.
        """
        if self.engine == "offline":
            raise OfflineUnavailableError("no model configured (PARITY_LLM_MODEL)")
        started = time.perf_counter()
        value, _, prompt_tokens, completion_tokens = await self._validated(
            [{"role": "user", "content": prompt}], schema, schema.__name__)
        observe_llm_call(f"judge:{schema.__name__}", time.perf_counter() - started, prompt_tokens, completion_tokens)
        return value

    async def ping(self) -> tuple[bool, str]:
        """Check the configured model server answers (``GET <api_base>/models``)."""
        if self.engine == "offline":
            return True, "offline engine (no PARITY_LLM_MODEL set)"
        base = self.settings.llm_api_base
        if not base:
            return True, f"{self.settings.llm_model} (provider default endpoint, not probed)"
        import httpx

        headers = {}
        if self.settings.llm_api_key is not None:
            headers["Authorization"] = f"Bearer {self.settings.llm_api_key.get_secret_value()}"
        try:
            async with httpx.AsyncClient(timeout=min(self.settings.llm_timeout_s, 5.0)) as client:
                resp = await client.get(base.rstrip("/") + "/models", headers=headers)
        except httpx.HTTPError as exc:
            return False, f"{base} unreachable: {type(exc).__name__}"
        if resp.status_code != 200:
            return False, f"{base}/models answered HTTP {resp.status_code}"
        try:
            ids = [m.get("id") for m in resp.json().get("data", [])]
        except (ValueError, AttributeError):
            return False, f"{base}/models did not return a model list"
        return True, f"{self.settings.llm_model} at {base} (serving: {', '.join(map(str, ids))})"


def dumps_schema(schema: type[BaseModel]) -> str:
    """The JSON schema of ``schema`` as compact text (for prompts that quote it)."""
    return json.dumps(schema.model_json_schema(), separators=(",", ":"))
