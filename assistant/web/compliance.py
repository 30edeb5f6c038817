"""The compliance officer's pages: chain status, cases, per-case timelines, break-glass log, exports, dashboard.

Everything here is pseudonymized: audit details, diffs and case states. No signed note or appeal
letter (identified text) is ever rendered; identified reads go through the audited break-glass API.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from assistant.audit import BREAK_GLASS
from assistant.auth.deps import user_store
from assistant.auth.users import User
from assistant.web.access import load_case, service
from assistant.web.charts import bar_svg
from assistant.web.dashboard import dashboard_data
from assistant.web.guards import WebError, WebRoute, csrf_protect, role_page
from assistant.web.templating import render

router = APIRouter(prefix="/ui/compliance", route_class=WebRoute, dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)
Auditor = Annotated[User, Depends(role_page("compliance", "admin"))]
_VERSION_KEYS = ("model", "prompt", "version", "engine", "rule_pack", "sha256", "calls")


def versions(details: Any) -> list[str]:
    """``key: value`` strings of model, prompt and rule-pack versions found anywhere in an event's details."""
    found: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if any(k in str(key).lower() for k in _VERSION_KEYS) and not isinstance(inner, (dict, list)):
                    found.append(f"{path}{key}: {inner}")
                else:
                    walk(inner, f"{path}{key}.")
        elif isinstance(value, list):
            for inner in value[:20]:
                walk(inner, path)

    walk(details, "")
    return found


def staff_names(request: Request, tenant: str) -> dict[str, str]:
    """User id → name for the practice's staff (shown instead of bare ids; local users keep their ids)."""
    return {u.id: u.name for u in user_store(request.app.state.runtime).list_users(tenant)}


@router.get("")
async def home(request: Request, user: Auditor) -> Response:
    """Chain verification, the practice's cases, the break-glass log and export links."""
    runtime = request.app.state.runtime
    verified = await asyncio.to_thread(runtime.audit.verify)
    events = await asyncio.to_thread(runtime.audit.events, tenant=user.tenant)
    return render(request, "compliance/home.html", {
        "verified": verified, "cases": service(request).records.list_cases(user.tenant),
        "break_glass": [e for e in events if e.action == BREAK_GLASS], "names": staff_names(request, user.tenant),
    })


@router.get("/cases/{case_id}")
async def timeline(request: Request, case_id: str, user: Auditor) -> Response:
    """One case's audit trail: who did what when, model and prompt versions, draft-vs-final diffs."""
    row = load_case(request, user, case_id, action="audit.read")
    events = await asyncio.to_thread(request.app.state.runtime.audit.events, case_id=case_id, tenant=user.tenant)
    shown = [{"event": e, "versions": versions(e.details), "diff": e.details.get("diff"),
              "details": {k: v for k, v in e.details.items() if k != "diff"}} for e in events]
    return render(request, "compliance/timeline.html", {"row": row, "events": shown,
                                                          "names": staff_names(request, user.tenant)})


@router.get("/export.{fmt}")
async def export(request: Request, fmt: str, user: Auditor) -> Response:
    """The practice's audit trail as JSONL or CSV (a download)."""
    if fmt not in ("jsonl", "csv"):
        raise WebError(404, "exports are .jsonl or .csv")
    text = await asyncio.to_thread(request.app.state.runtime.audit.export, fmt=fmt, tenant=user.tenant)
    media = "application/x-ndjson" if fmt == "jsonl" else "text/csv"
    return Response(text, media_type=media, headers={"Content-Disposition": f'attachment; filename="audit-{user.tenant}.{fmt}"'})


@router.get("/dashboard")
async def dashboard(request: Request, user: Auditor) -> Response:
    """Charts: denials by root cause and payer, co-pilot gaps by element, time to signature, appeal outcomes."""
    data = await asyncio.to_thread(dashboard_data, service(request), request.app.state.runtime.audit, user.tenant)
    specs = [("causes", "Denials by root cause", "appeals", True), ("payers", "Denials by payer", "appeals", True),
             ("gaps", "Co-pilot gaps by element (latest check)", "notes", True),
             ("signature", "Minutes from draft to signature", "minutes", False),
             ("outcomes", "Appeal outcomes", "appeals", True)]
    charts = [{"key": key, "title": title, "data": data[key], "svg": bar_svg(data[key], title, unit, horizontal, integer=key != "signature")}
              for key, title, unit, horizontal in specs]
    return render(request, "compliance/dashboard.html", {"charts": charts})
