"""Authorizations and pre-session guidance: list and record authorizations, the caller's brief and alerts."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from assistant.api.deps import RuntimeDep
from assistant.auth.deps import CurrentUser, PermissionDeniedError, require
from assistant.auth.users import User
from assistant.authorizations.models import Alert, Authorization, AuthorizationCreate, Brief, DailyRun

router = APIRouter(prefix="/v1", tags=["authorizations"])
Manager = Annotated[User, Depends(require("authorizations.manage"))]
Reader = Annotated[User, Depends(require("authorizations.read"))]


class AuthorizationList(BaseModel):
    """Authorizations the caller may see."""

    authorizations: list[Authorization]


class AlertList(BaseModel):
    """The caller's in-app alerts."""

    alerts: list[Alert]


@router.get("/authorizations", response_model=AuthorizationList)
async def list_authorizations(runtime: RuntimeDep, user: Reader,
                              status: Annotated[str | None, Query(pattern="^(active|renewed|ended)$")] = None,
                              ) -> AuthorizationList:
    """The practice's authorizations (clinicians: those whose care team they are on), by review date."""
    rows = await asyncio.to_thread(runtime.authorizations.store.list_authorizations, user.tenant, status)
    if user.role == "clinician":
        rows = [a for a in rows if user.id in {m.user_id for m in a.care_team}]
    return AuthorizationList(authorizations=rows)


@router.post("/authorizations", response_model=Authorization, status_code=201)
async def add_authorization(body: AuthorizationCreate, runtime: RuntimeDep, user: Manager) -> Authorization:
    """Record an authorization for a patient episode in the caller's practice."""
    auth: Authorization = await asyncio.to_thread(runtime.authorizations.create, body, user.tenant)
    runtime.audit.append(user.id, user.role, "authorization.add", None, {"authorization_id": auth.id}, tenant=user.tenant)
    return auth


def _own(runtime: RuntimeDep, user: User, auth_id: str) -> Authorization:
    auth: Authorization = runtime.authorizations.store.get(auth_id)
    if auth.tenant != user.tenant:
        raise PermissionDeniedError("not an authorization of your practice", "authorization_id")
    return auth


@router.post("/authorizations/{authorization_id}/renew", response_model=Authorization)
async def renew_authorization(authorization_id: str, runtime: RuntimeDep, user: Manager) -> Authorization:
    """The payer renewed it: every alert for it stops."""
    _own(runtime, user, authorization_id)
    auth: Authorization = await asyncio.to_thread(runtime.authorizations.renew, authorization_id)
    runtime.audit.append(user.id, user.role, "authorization.renew", None, {"authorization_id": auth.id},
                         tenant=user.tenant)
    return auth


@router.post("/authorizations/run-daily", response_model=DailyRun)
async def run_daily(runtime: RuntimeDep, user: Manager, date: dt.date | None = None) -> DailyRun:
    """Run the practice's daily pass now (idempotent; the scheduler runs it every day)."""
    return await asyncio.to_thread(runtime.authorizations.run_daily, date or dt.date.today(), user.tenant)  # type: ignore[no-any-return]


@router.get("/me/brief", response_model=Brief)
async def my_brief(runtime: RuntimeDep, user: CurrentUser, date: dt.date | None = None) -> Brief:
    """The caller's pre-session brief: their own open items for episodes whose review is near."""
    return await asyncio.to_thread(runtime.authorizations.brief, user.id, date or dt.date.today(), user.tenant)  # type: ignore[no-any-return]


@router.get("/me/alerts", response_model=AlertList)
async def my_alerts(runtime: RuntimeDep, user: CurrentUser) -> AlertList:
    """The caller's authorization alerts, oldest first."""
    return AlertList(alerts=await asyncio.to_thread(runtime.authorizations.store.alerts, user.id))
