"""Scripted fake LLM: each call answers the next scripted text via litellm's mock_response."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


class ScriptedLLM:
    """An async stand-in for ``litellm.acompletion`` that answers from a script.

    Each entry is a string (the answer) or a callable taking the call's kwargs and
    returning the answer. Answers go through litellm's own ``mock_response`` so the
    gateway sees real litellm response objects. Calls are recorded in ``calls``.
    """

    def __init__(
        self,
        script: list[str | Callable[[dict[str, Any]], str]],
        delay_s: float = 0.0,
    ) -> None:
        """Create the fake with its answers and an optional delay per call."""
        self.script = list(script)
        self.delay_s = delay_s
        self.calls: list[dict[str, Any]] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def __call__(self, **kwargs: Any) -> Any:
        """Answer one call."""
        import litellm

        self.calls.append(kwargs)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            entry = self.script.pop(0) if len(self.script) > 1 else self.script[0]
            answer = entry(kwargs) if callable(entry) else entry
            return await litellm.acompletion(
                model="openai/scripted",
                messages=kwargs["messages"],
                mock_response=answer,
            )
        finally:
            self.in_flight -= 1
