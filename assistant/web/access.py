"""Loading a case for a page: the process's case service, the permission check, and the text a page may show."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from assistant.api.routes.cases import cases
from assistant.auth.deps import authorize
from assistant.auth.policy import Resource
from assistant.auth.users import User
from assistant.errors import NotFoundError
from assistant.web.session import LOCAL_PREFIX
from assistant.workflows.service import CaseService


def service(request: Request) -> CaseService:
    """The process's case service (shared with the API)."""
    return cases(request.app.state.runtime)


def load_case(request: Request, user: User, case_id: str, action: str = "case.read",
              kind: str | None = None) -> dict[str, Any]:
    """The case row after checking ``action`` on it for ``user``.

    Raises:
        NotFoundError: no such case, another practice's case, or a case of another kind.
        PermissionDeniedError: the user may not take ``action`` on this case.
    """
    row = service(request).records.get(case_id)
    if row is None or (kind is not None and row["kind"] != kind):
        raise NotFoundError("no such case", "case_id")
    resource = Resource(tenant=str(row["tenant"]), owner_id=str(row["owner"]), kind=str(row["kind"]))
    if user.id.startswith(LOCAL_PREFIX) and row["tenant"] == user.tenant:
        # auth is off: local users of the laptop practice share its cases, as the API's local admin does
        resource = Resource(tenant=user.tenant, owner_id=user.id, kind=str(row["kind"]))
    authorize(user, action, resource)
    return row


def own_cases(request: Request, user: User, kind: str, owner_only: bool = False) -> list[dict[str, Any]]:
    """The user's practice's cases of ``kind`` (only their own with ``owner_only``), newest first."""
    rows = service(request).records.list_cases(user.tenant)
    local = user.id.startswith(LOCAL_PREFIX)
    return [r for r in rows if r["kind"] == kind and (not owner_only or local or r["owner"] == user.id)]
