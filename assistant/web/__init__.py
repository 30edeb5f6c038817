"""Web workspace: server-rendered pages for clinicians, billers and compliance officers (htmx, no build step).

``router`` holds every page; ``STATIC_DIR`` is mounted at ``/ui/static`` by the app factory.
"""

from __future__ import annotations

from fastapi import APIRouter

from assistant.web import biller, clinician, compliance, login
from assistant.web.templating import STATIC_DIR

router = APIRouter()
for _module in (login, clinician, biller, compliance):
    router.include_router(_module.router)

__all__ = ["STATIC_DIR", "router"]
