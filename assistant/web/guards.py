"""Page guards: CSRF on every POST, sign-in and role checks, and errors rendered as HTML pages.

The app's exception handlers answer JSON (for the API); web routes use :class:`WebRoute`, which
turns a :class:`WebError` (or a :class:`~assistant.errors.ParityError` raised by a service) into
an HTML page or a redirect, without touching the app's handlers.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from assistant.auth.users import User
from assistant.errors import ParityError
from assistant.web.session import CSRF_FIELD, CSRF_HEADER, current_user, read_session
from assistant.web.templating import render

HOMES = {"clinician": "/ui/clinician", "biller": "/ui/biller", "compliance": "/ui/compliance", "admin": "/ui/compliance"}
"""Each role's home page (admins audit like compliance officers)."""


class WebError(Exception):
    """A page-level failure: a status, a message, and optionally where to send the browser instead."""

    def __init__(self, status: int, message: str, redirect: str | None = None) -> None:
        """Remember the status, the message shown, and an optional redirect target."""
        super().__init__(message)
        self.status = status
        self.message = message
        self.redirect = redirect


class WebRoute(APIRoute):
    """An API route whose failures become HTML pages (or redirects to the login page)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the handler (dependencies included) so page errors render as HTML."""
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except WebError as exc:
                if exc.redirect:
                    return RedirectResponse(exc.redirect, status_code=303)
                return error_page(request, exc.status, exc.message)
            except ParityError as exc:
                return error_page(request, exc.status_code, exc.message)

        return handler


def error_page(request: Request, status: int, message: str) -> Response:
    """An HTML error page with ``status``."""
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


async def csrf_protect(request: Request) -> None:
    """Refuse a POST whose CSRF token (header or form field) does not match the session's.

    Raises:
        WebError: 403 when the token is missing or wrong.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = str(read_session(request).get("csrf") or "")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()  # Starlette caches the parsed form for the handler
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise WebError(403, "The form has expired or did not come from Parity (CSRF check failed). Reload the page and try again.")


def signed_in(request: Request) -> User:
    """The signed-in user, or a redirect to the login page.

    Raises:
        WebError: a redirect to ``/ui/login`` when nobody is signed in.
    """
    user = current_user(request)
    if user is None:
        raise WebError(401, "Please sign in.", redirect="/ui/login")
    return user


SignedIn = Annotated[User, Depends(signed_in)]


def role_page(*roles: str) -> Callable[[Request], User]:
    """A dependency admitting only signed-in users of ``roles``.

    Raises:
        WebError: redirect to login when signed out; 403 for another role.
    """

    def dependency(request: Request) -> User:
        user = signed_in(request)
        if user.role not in roles:
            raise WebError(403, f"This page is for the {' / '.join(roles)} role; you are signed in as {user.role}.")
        return user

    dependency.__name__ = f"role_page_{'_'.join(roles)}"
    return dependency
