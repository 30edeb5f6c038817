"""The signed session cookie of the web pages, its CSRF token, and who the signed-in user is.

The cookie holds ``{"uid", "csrf", "iat"}`` as base64url JSON followed by an HMAC-SHA256 of it,
keyed by the ``secret_key`` setting (standard library only: no extra dependency). The token a
user typed at login is never stored; each request looks the user up again, so a deactivated
user is signed out at once. With ``PARITY_AUTH=off`` the ids ``local-<role>`` name local users.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any, get_args

from fastapi import Request, Response

from assistant.auth.deps import auth_mode, user_store
from assistant.auth.users import Role, User

COOKIE = "parity_session"
MAX_AGE_S = 8 * 3600
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
LOCAL_PREFIX = "local-"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _secret(request: Request) -> bytes:
    return request.app.state.runtime.settings.secret_key.get_secret_value().encode()


def sign(payload: dict[str, Any], secret: bytes) -> str:
    """The cookie value for ``payload``: ``base64url(json).base64url(hmac)``."""
    body = _b64(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode())
    mac = hmac.new(secret, body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def unsign(value: str, secret: bytes, max_age_s: int = MAX_AGE_S) -> dict[str, Any] | None:
    """The payload of a cookie value, or ``None`` when it is malformed, forged or expired."""
    body, _, mac = value.partition(".")
    try:
        expected = hmac.new(secret, body.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            return None
        payload = json.loads(_unb64(body))
    except (ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or time.time() - float(payload.get("iat", 0)) > max_age_s:
        return None
    return payload


def read_session(request: Request) -> dict[str, Any]:
    """The request's session (empty when there is none or it does not verify)."""
    raw = request.cookies.get(COOKIE)
    return (unsign(raw, _secret(request)) or {}) if raw else {}


def new_session(uid: str | None = None) -> dict[str, Any]:
    """A fresh session (a new CSRF token each time: rotated at login and logout)."""
    return {"uid": uid, "csrf": secrets.token_urlsafe(24), "iat": int(time.time())}


def write_session(request: Request, response: Response, session: dict[str, Any]) -> None:
    """Set the session cookie on ``response`` (HttpOnly, SameSite=Lax, Secure in production)."""
    secure = request.app.state.runtime.settings.env == "production"
    response.set_cookie(COOKIE, sign(session, _secret(request)), max_age=MAX_AGE_S, httponly=True,
                        samesite="lax", secure=secure, path="/")


def csrf_token(request: Request) -> str:
    """The CSRF token of this request's session ('' when there is no session yet)."""
    return str(read_session(request).get("csrf") or "")


def local_user(role: str) -> User:
    """The local user of ``role`` the role picker acts as when auth is off."""
    if role not in get_args(Role):
        raise ValueError(f"unknown role {role!r}")
    return User(id=f"{LOCAL_PREFIX}{role}", name=f"local {role}", role=role, tenant="local", active=True)  # type: ignore[arg-type]


def current_user(request: Request) -> User | None:
    """The signed-in, active user of this request, or ``None``."""
    uid = read_session(request).get("uid")
    if not uid:
        return None
    runtime = request.app.state.runtime
    if auth_mode(runtime) == "off":
        try:
            return local_user(str(uid).removeprefix(LOCAL_PREFIX)) if str(uid).startswith(LOCAL_PREFIX) else None
        except ValueError:
            return None
    if str(uid).startswith(LOCAL_PREFIX):
        return None
    user = user_store(runtime).get(str(uid))
    return user if user is not None and user.active else None
