"""FastAPI application factory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from assistant import __version__, web
from assistant.api.routes import appeals, audit, authorizations, cases, deid, health, notes, policies, users
from assistant.errors import ParityError
from assistant.metrics import instrument, review_backlog
from assistant.runtime import Runtime
from assistant.settings import Settings, get_settings

log = logging.getLogger(__name__)


def _error(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"error": {"code": code, "message": message, "field": field}}
    )


def _resume_cases(runtime: Runtime) -> None:
    """After a crash: carry on every case that stopped between steps (those at a gate keep waiting)."""
    from assistant.api.routes.cases import cases
    from assistant.workflows.store import CaseRecords

    if not CaseRecords(runtime.engine, runtime.vault).list_all_open():
        return  # nothing to carry on: do not load models at start
    resumed = cases(runtime).resume_pending()
    if resumed:
        log.info("resumed %d case(s) after restart", len(resumed))


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API app; the runtime opens its clients on startup."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        runtime = Runtime(settings)
        app.state.runtime = runtime
        if settings.resume_cases_on_start:
            asyncio.get_running_loop().run_in_executor(None, _resume_cases, runtime)
        scheduler = None
        if settings.auth_daily_at:
            from assistant.authorizations.scheduler import start_daily_scheduler

            scheduler = start_daily_scheduler(runtime, settings.auth_daily_at)
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            runtime.close()

    app = FastAPI(
        title="Parity",
        version=__version__,
        description="Documentation co-pilot, scribe and appeals for behavioral-health practices.",
        lifespan=lifespan,
    )

    @app.exception_handler(ParityError)
    async def _parity_error(_: Request, exc: ParityError) -> JSONResponse:
        return _error(exc.status_code, exc.code, exc.message, exc.field)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(loc) or None
        message = f"{field or 'request'}: {first.get('msg', 'invalid')}"
        return _error(422, "invalid_input", message, field)

    app.include_router(health.router)
    app.include_router(deid.router)
    app.include_router(policies.router)
    app.include_router(notes.router)
    app.include_router(appeals.router)
    app.include_router(audit.router)
    app.include_router(cases.router)
    app.include_router(users.router)
    app.include_router(authorizations.router)
    instrument(app, lambda: review_backlog(app.state.runtime.engine))
    app.include_router(web.router)
    app.mount("/ui/static", StaticFiles(directory=web.STATIC_DIR), name="web-static")
    return app
