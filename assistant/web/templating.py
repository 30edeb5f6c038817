"""Jinja templates of the web pages (autoescaped) and the helper that renders one with the session's context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from assistant.web.session import csrf_token, current_user

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))

STATUS_LABEL = {"met": "Met", "partial": "Partial", "missing": "Missing"}
templates.env.globals["STATUS_LABEL"] = STATUS_LABEL


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """Render template ``name`` with the signed-in user and the CSRF token in its context."""
    base = {"user": current_user(request), "csrf": csrf_token(request)}
    return templates.TemplateResponse(request, name, base | (context or {}), status_code=status_code)
