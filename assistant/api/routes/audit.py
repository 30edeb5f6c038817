"""Audit trail endpoints: verify the hash chain, list events."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from assistant.api.deps import RuntimeDep
from assistant.audit import AuditEvent, AuditLog, VerifyResult
from assistant.audit.log import ExportFormat
from assistant.auth.deps import LOCAL_USER, require
from assistant.auth.users import User

router = APIRouter(prefix="/v1/audit", tags=["audit"])
AuditReader = Annotated[User, Depends(require("audit.read"))]


class EventList(BaseModel):
    """Audit events in ``seq`` order."""

    events: list[AuditEvent]


@router.get("/verify", response_model=VerifyResult)
async def verify_chain(runtime: RuntimeDep, user: AuditReader) -> VerifyResult:
    """Recompute the chain; ``first_bad`` names the first altered, moved or orphaned event."""
    return await asyncio.to_thread(lambda: AuditLog(runtime.engine).verify())


@router.get("/events", response_model=EventList)
async def list_events(
    runtime: RuntimeDep,
    user: AuditReader,
    case_id: Annotated[str | None, Query(max_length=200, description="Only this case's events.")] = None,
    since: Annotated[dt.date | None, Query(description="Only events on or after this day (UTC).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many events.")] = 100,
    after: Annotated[int | None, Query(ge=0, le=2**62, description="Only events with a higher seq (paging).")] = None,
) -> EventList:
    """Stored audit events, oldest first."""
    events = await asyncio.to_thread(
        lambda: AuditLog(runtime.engine).events(case_id=case_id, since=since, limit=limit, after=after,
                                                tenant=_tenant_scope(user))
    )
    return EventList(events=events)


def _tenant_scope(user: User) -> str | None:
    """A practice's readers see its own events; with auth off (single practice) everything."""
    return None if user.id == LOCAL_USER.id else user.tenant


@router.get("/export", response_class=PlainTextResponse)
async def export_events(
    runtime: RuntimeDep,
    user: AuditReader,
    format: Annotated[ExportFormat, Query(description="jsonl or csv.")] = "jsonl",
    case_id: Annotated[str | None, Query(max_length=200, description="Only this case's events.")] = None,
    since: Annotated[dt.date | None, Query(description="Only events on or after this day (UTC).")] = None,
) -> PlainTextResponse:
    """The events as JSON lines or CSV, for the practice's own archive (the export is itself audited)."""
    log = AuditLog(runtime.engine)
    body = await asyncio.to_thread(lambda: log.export(case_id=case_id, since=since, fmt=format, tenant=_tenant_scope(user)))
    await asyncio.to_thread(log.append, user.id, user.role, "audit.export", case_id,
                            {"format": format, "since": since.isoformat() if since else None}, tenant=user.tenant)
    media = "text/csv" if format == "csv" else "application/x-ndjson"
    return PlainTextResponse(body, media_type=media)
