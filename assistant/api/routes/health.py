"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from assistant import __version__
from assistant.api.deps import RuntimeDep
from assistant.runtime import ComponentStatus

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Liveness answer."""

    status: Literal["ok"] = "ok"
    version: str = __version__


class Readiness(BaseModel):
    """Readiness of every component."""

    ok: bool
    engine: Literal["offline", "llm"]
    model: str | None
    components: dict[str, ComponentStatus]


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up."""
    return Health()


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    """Every component answers; 503 names the ones that do not."""
    components = await runtime.readiness()
    body = Readiness(
        ok=all(c.ok for c in components.values()),
        engine=runtime.settings.engine,
        model=runtime.settings.llm_model,
        components=components,
    )
    return JSONResponse(status_code=200 if body.ok else 503, content=body.model_dump())
