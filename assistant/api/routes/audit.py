"""Audit trail endpoints: verify the hash chain, list events."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from assistant.api.deps import RuntimeDep
from assistant.audit import AuditEvent, AuditLog, VerifyResult
from assistant.auth.deps import require
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
    after: Annotated[int | None, Query(ge=0, description="Only events with a higher seq (paging).")] = None,
) -> EventList:
    """Stored audit events, oldest first."""
    events = await asyncio.to_thread(
        lambda: AuditLog(runtime.engine).events(case_id=case_id, since=since, limit=limit, after=after)
    )
    return EventList(events=events)
