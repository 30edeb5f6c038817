"""Prometheus metrics: request latency, LLM latency and tokens, LLM calls in flight, review backlog.

Nothing here carries PHI: labels are route templates, status codes, prompt names and roles.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)
REGISTRY = CollectorRegistry()
REQUEST_SECONDS = Histogram("parity_request_seconds", "HTTP request latency.", ["method", "route", "status"],
                            registry=REGISTRY)
LLM_SECONDS = Histogram("parity_llm_seconds", "Model call latency (all attempts of one call).", ["prompt"],
                        registry=REGISTRY, buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80))
LLM_TOKENS = Counter("parity_llm_tokens", "Model tokens.", ["prompt", "kind"], registry=REGISTRY)
LLM_IN_FLIGHT = Gauge("parity_llm_in_flight", "Model calls waiting or running (queue depth).", registry=REGISTRY)
REVIEW_BACKLOG = Gauge("parity_review_backlog", "Cases waiting at a review gate.", ["kind"], registry=REGISTRY)


def observe_llm_call(prompt: str, seconds: float, prompt_tokens: int | None, completion_tokens: int | None) -> None:
    """Record one finished model call."""
    LLM_SECONDS.labels(prompt).observe(seconds)
    LLM_TOKENS.labels(prompt, "prompt").inc(prompt_tokens or 0)
    LLM_TOKENS.labels(prompt, "completion").inc(completion_tokens or 0)


class TimingMiddleware:
    """Pure ASGI middleware timing every HTTP request by route template.

    Not ``BaseHTTPMiddleware``: timing must not change how exceptions, streaming bodies or lifespan
    events travel through the app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; observe its latency under its route template and status."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_timed)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            REQUEST_SECONDS.labels(scope["method"], str(route), str(status["code"])).observe(
                time.perf_counter() - started)


def instrument(app: FastAPI, backlog: Callable[[], dict[str, int]]) -> None:
    """Time every request and serve ``GET /metrics`` (the backlog is counted at scrape time)."""
    app.add_middleware(TimingMiddleware)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        try:
            for kind, n in backlog().items():
                REVIEW_BACKLOG.labels(kind).set(n)
        except Exception as exc:  # a scrape must answer even when the database is down
            log.warning("review backlog not counted: %s", type(exc).__name__)
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def review_backlog(engine: Any) -> dict[str, int]:
    """Cases per kind whose status says they wait for a person."""
    from sqlalchemy import func, select

    from assistant.workflows.store import cases

    query = (select(cases.c.kind, func.count()).where(cases.c.status.in_(("awaiting_review", "awaiting_clinical_input")))
             .group_by(cases.c.kind))
    with engine.connect() as conn:
        return {str(kind): int(n) for kind, n in conn.execute(query)}
