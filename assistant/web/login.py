"""Signing in and out of the web pages, and ``/`` sending each role to its home page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from assistant.auth.deps import auth_mode, user_store
from assistant.auth.users import ROLES
from assistant.web.guards import HOMES, WebError, WebRoute, csrf_protect
from assistant.web.session import current_user, local_user, new_session, read_session, write_session
from assistant.web.templating import render

router = APIRouter(route_class=WebRoute, dependencies=[Depends(csrf_protect)], include_in_schema=False)


def _login_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    session = read_session(request)
    if not session.get("csrf"):
        session = new_session()
    auth_off = auth_mode(request.app.state.runtime) == "off"
    response = render(request, "login.html", {"csrf": session["csrf"], "error": error, "auth_off": auth_off,
                                              "roles": [r for r in ROLES if r != "admin"]}, status_code=status_code)
    write_session(request, response, session)
    return response


@router.get("/")
async def home(request: Request) -> Response:
    """The signed-in user's home page, or the login page."""
    user = current_user(request)
    return RedirectResponse(HOMES[user.role] if user else "/ui/login", status_code=303)


@router.get("/ui/login")
async def login_form(request: Request) -> Response:
    """The login form (an API token; with auth off, a role picker)."""
    return _login_page(request)


@router.post("/ui/login")
async def login(request: Request, token: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "") -> Response:
    """Sign in with an API token (or, with auth off, as the local user of ``role``)."""
    runtime = request.app.state.runtime
    if auth_mode(runtime) == "off" and role:
        try:
            uid = local_user(role).id
        except ValueError:
            raise WebError(422, f"unknown role {role!r}") from None
    else:
        user = user_store(runtime).authenticate(token.strip()) if token.strip() else None
        if user is None:
            return _login_page(request, "That token is not valid, has been revoked, or belongs to an inactive user.", 401)
        uid = user.id
    session = new_session(uid)
    signed = _role_of(request, uid)
    response = RedirectResponse(HOMES.get(signed, "/"), status_code=303)
    write_session(request, response, session)
    return response


def _role_of(request: Request, uid: str) -> str:
    """The role of user ``uid``, for the redirect after login."""
    runtime = request.app.state.runtime
    if auth_mode(runtime) == "off":
        return local_user(uid.removeprefix("local-")).role
    user = user_store(runtime).get(uid)
    return user.role if user else ""


@router.post("/ui/logout")
async def logout(request: Request) -> Response:
    """Sign out (the session is replaced by an anonymous one with a new CSRF token)."""
    response = RedirectResponse("/ui/login", status_code=303)
    write_session(request, response, new_session())
    return response
