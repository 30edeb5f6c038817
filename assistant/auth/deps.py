"""FastAPI dependencies: who is calling (``CurrentUser``) and may they (``require(action)``).

Callers send ``Authorization: Bearer <token>``. The ``auth`` setting (read defensively, so
this module works before the setting exists) is ``"required"`` by default; ``"off"`` makes
every request act as the built-in :data:`LOCAL_USER`, an admin of the ``local`` practice, for
a single-user laptop, and turns every permission check off (an admin may not review notes,
yet the only person at the laptop must). Any other value counts as ``"required"``.

``require(action)`` is the route-level gate (role, active). Grants that depend on the
resource (its practice, owner, kind) are checked where the resource is known: pass a
``resource`` resolver to ``require`` or call :func:`authorize` in the handler. A resource
of another practice is reported as not found, so ids do not leak across practices.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from assistant.auth.policy import Resource, allowed, role_allows
from assistant.auth.users import User, UserStore
from assistant.errors import NotFoundError, ParityError

LOCAL_USER = User(id="local", name="local", role="admin", tenant="local", active=True)
"""Who every request acts as when the ``auth`` setting is ``"off"``."""

_stores: weakref.WeakKeyDictionary[Any, UserStore] = weakref.WeakKeyDictionary()


class AuthenticationError(ParityError):
    """No credentials, or credentials that do not name an active user."""

    status_code = 401
    code = "unauthenticated"


class PermissionDeniedError(ParityError):
    """An authenticated user whose role or relation to the resource does not permit the action."""

    status_code = 403
    code = "forbidden"


def auth_mode(runtime: Any) -> str:
    """The ``auth`` setting in force: ``"off"`` or ``"required"`` (the default)."""
    mode = getattr(runtime.settings, "auth", "required")
    return "off" if mode == "off" else "required"


def user_store(runtime: Any) -> UserStore:
    """The user store on ``runtime.engine``, built once per runtime (and per engine)."""
    engine = runtime.engine
    try:
        store = _stores.get(runtime)
    except TypeError:  # a runtime that cannot be weakly referenced (a test stand-in): no cache
        return UserStore(engine)
    if store is None or store.engine is not engine:
        store = _stores[runtime] = UserStore(engine)
    return store


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header.

    Raises:
        AuthenticationError: no header, another scheme, or an empty token.
    """
    if not authorization:
        raise AuthenticationError("missing bearer token", "Authorization")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("expected 'Bearer <token>'", "Authorization")
    return token.strip()


def get_current_user(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> User:
    """The user making the request.

    Raises:
        AuthenticationError: missing, malformed, unknown or revoked token, or an inactive user.
    """
    runtime = request.app.state.runtime
    if auth_mode(runtime) == "off":
        return LOCAL_USER
    user = user_store(runtime).authenticate(bearer_token(authorization))
    if user is None:
        raise AuthenticationError("invalid, revoked or inactive token", "Authorization")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def authorize(user: User, action: str, resource: Resource | None = None) -> User:
    """Check ``action`` on ``resource`` for ``user`` and return the user.

    Raises:
        NotFoundError: the resource belongs to another practice.
        PermissionDeniedError: the role, ownership or kind does not permit the action.
    """
    if user == LOCAL_USER:  # auth is off: one person, every permission (stored ids are uuid4s)
        role_allows(user, action)  # still refuse an unknown action
        return user
    if resource is None:
        if not role_allows(user, action):
            raise PermissionDeniedError(f"role {user.role} may not {action}")
        return user
    if resource.tenant is not None and resource.tenant != user.tenant:
        raise NotFoundError("no such resource")
    if not allowed(user, action, tenant=resource.tenant, owner_id=resource.owner_id, kind=resource.kind):
        raise PermissionDeniedError(f"{user.role} {user.id} may not {action} on this resource")
    return user


def require(action: str, resource: Callable[[Request], Resource] | None = None) -> Callable[..., User]:
    """A dependency that returns the current user if they may take ``action``, else raises.

    Args:
        action: a key of :data:`assistant.auth.policy.PERMISSIONS` (checked now, so a typo fails at import).
        resource: optional resolver from the request (path parameters, ``app.state.runtime``) to the
            resource acted on; without it only the role is checked and the handler must call
            :func:`authorize` with the resource for ownership, kind and practice.

    Raises:
        ValueError: unknown action.
    """
    role_allows(LOCAL_USER, action)  # validates the action name

    def dependency(request: Request, user: CurrentUser) -> User:
        return authorize(user, action, resource(request) if resource else None)

    dependency.__name__ = f"require_{action.replace('.', '_')}"
    return dependency
