"""Users of a practice (tenant) and their API tokens, hashed at rest.

Tokens are ``secrets.token_urlsafe(32)``: 256 bits from the OS's CSPRNG. A secret that
random cannot be guessed or brute-forced from its digest, so a plain (unsalted, fast)
SHA-256 is adequate here; password hashes (bcrypt, argon2) exist to slow down guessing of
*low-entropy* secrets and would only add latency to every request. The clear token is
returned once, by :meth:`UserStore.issue_token`, and never stored or logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, MetaData, String, Table, select
from sqlalchemy.engine import Engine, RowMapping

from assistant.database import migrate
from assistant.errors import InvalidInputError, NotFoundError

Role = Literal["clinician", "biller", "compliance", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)

metadata = MetaData()
users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("tenant", String(100), nullable=False, index=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime, nullable=True),
    Column("revoked", Boolean, nullable=False, default=False),
)


class User(BaseModel):
    """A person acting in one practice with one role."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    role: Role
    tenant: str
    active: bool = True


class TokenInfo(BaseModel):
    """What is known about an issued token (never the token or its hash)."""

    id: str
    user_id: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool


class IssuedToken(BaseModel):
    """A freshly issued token: the clear value is shown this once."""

    id: str
    token: str


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a token (see the module docstring for why that suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _user(row: RowMapping) -> User:
    return User(id=row["id"], name=row["name"], role=row["role"], tenant=row["tenant"], active=row["active"])


class UserStore:
    """Users and API tokens in the relational database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        """Bind to ``engine`` and create the tables if needed."""
        self.engine = engine
        migrate(engine)

    def create_user(self, name: str, role: str, tenant: str) -> User:
        """Create an active user.

        Raises:
            InvalidInputError: blank name or tenant, or a role outside :data:`ROLES`.
        """
        if not name.strip():
            raise InvalidInputError("name must not be blank", "name")
        if role not in ROLES:
            raise InvalidInputError(f"role must be one of {', '.join(ROLES)}", "role")
        if not tenant.strip():
            raise InvalidInputError("tenant must not be blank", "tenant")
        row = {"id": str(uuid.uuid4()), "name": name.strip(), "role": role, "tenant": tenant.strip(),
               "active": True, "created_at": _now()}
        with self.engine.begin() as conn:
            conn.execute(users.insert().values(**row))
        return User.model_validate(row)

    def get(self, user_id: str) -> User | None:
        """The user with this id, or ``None``."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
        return _user(row) if row else None

    def list_users(self, tenant: str | None = None) -> list[User]:
        """Users, oldest first; only one practice's when ``tenant`` is given."""
        query = select(users).order_by(users.c.created_at, users.c.id)
        if tenant is not None:
            query = query.where(users.c.tenant == tenant)
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(query).mappings()]

    def set_active(self, user_id: str, active: bool) -> User:
        """Activate or deactivate a user; a deactivated user's tokens stop working.

        Raises:
            NotFoundError: no such user.
        """
        with self.engine.begin() as conn:
            done = conn.execute(users.update().where(users.c.id == user_id).values(active=active))
        if done.rowcount == 0:
            raise NotFoundError(f"no user {user_id}", "user_id")
        user = self.get(user_id)
        assert user is not None
        return user

    def issue(self, user_id: str) -> IssuedToken:
        """Issue a token for an active user; only its SHA-256 is stored.

        Raises:
            NotFoundError: no such user.
            InvalidInputError: the user is inactive.
        """
        user = self.get(user_id)
        if user is None:
            raise NotFoundError(f"no user {user_id}", "user_id")
        if not user.active:
            raise InvalidInputError(f"user {user_id} is inactive", "user_id")
        token = secrets.token_urlsafe(32)
        token_id = str(uuid.uuid4())
        with self.engine.begin() as conn:
            conn.execute(api_tokens.insert().values(
                id=token_id, user_id=user_id, token_hash=hash_token(token), created_at=_now(),
                last_used_at=None, revoked=False))
        return IssuedToken(id=token_id, token=token)

    def issue_token(self, user_id: str) -> str:
        """Issue a token and return it in clear: the only time it is ever available."""
        return self.issue(user_id).token

    def authenticate(self, token: str) -> User | None:
        """The active user holding this unrevoked token, or ``None``; records the use.

        The token is looked up by its digest (the comparison an attacker could time is over
        a SHA-256, not the secret) and the digest is re-checked with ``hmac.compare_digest``.
        """
        if not token:
            return None
        digest = hash_token(token)
        query = (
            select(api_tokens.c.id.label("token_id"), api_tokens.c.token_hash, api_tokens.c.revoked, users)
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(api_tokens.c.token_hash == digest)
        )
        with self.engine.begin() as conn:
            row = conn.execute(query).mappings().first()
            if row is None or not hmac.compare_digest(row["token_hash"], digest):
                return None
            if row["revoked"] or not row["active"]:
                return None
            conn.execute(api_tokens.update().where(api_tokens.c.id == row["token_id"]).values(last_used_at=_now()))
        return _user(row)

    def revoke(self, token_id: str) -> None:
        """Revoke a token for good (idempotent).

        Raises:
            NotFoundError: no such token.
        """
        with self.engine.begin() as conn:
            done = conn.execute(api_tokens.update().where(api_tokens.c.id == token_id).values(revoked=True))
        if done.rowcount == 0:
            raise NotFoundError(f"no token {token_id}", "token_id")

    def list_tokens(self, user_id: str) -> list[TokenInfo]:
        """A user's tokens, oldest first (ids and dates only)."""
        query = (
            select(api_tokens.c.id, api_tokens.c.user_id, api_tokens.c.created_at, api_tokens.c.last_used_at,
                   api_tokens.c.revoked)
            .where(api_tokens.c.user_id == user_id)
            .order_by(api_tokens.c.created_at, api_tokens.c.id)
        )
        with self.engine.connect() as conn:
            return [TokenInfo.model_validate(dict(r)) for r in conn.execute(query).mappings()]
