"""Users of a practice (admins only): list, add, activate/deactivate, issue API tokens. Every change is audited."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from assistant.api.deps import RuntimeDep
from assistant.auth.deps import require
from assistant.auth.users import IssuedToken, Role, User, UserStore
from assistant.errors import NotFoundError

router = APIRouter(prefix="/v1/users", tags=["users"])
Admin = Annotated[User, Depends(require("users.manage"))]


class UserCreate(BaseModel):
    """``POST /v1/users`` body: the new user joins the admin's practice."""

    name: str = Field(min_length=1, max_length=200)
    role: Role


class UserUpdate(BaseModel):
    """``PATCH /v1/users/{id}`` body."""

    active: bool


class UserList(BaseModel):
    """The practice's users."""

    users: list[User]


def _own_user(store: UserStore, admin: User, user_id: str) -> User:
    """A user of the admin's own practice (another practice's users look absent)."""
    user = store.get(user_id)
    if user is None or user.tenant != admin.tenant:
        raise NotFoundError("no such user", "user_id")
    return user


@router.get("", response_model=UserList)
async def list_users(runtime: RuntimeDep, admin: Admin) -> UserList:
    """The users of the admin's practice."""
    return UserList(users=await asyncio.to_thread(UserStore(runtime.engine).list_users, admin.tenant))


@router.post("", response_model=User, status_code=201)
async def add_user(body: UserCreate, runtime: RuntimeDep, admin: Admin) -> User:
    """Add a user to the admin's practice."""
    user = await asyncio.to_thread(UserStore(runtime.engine).create_user, body.name, body.role, admin.tenant)
    runtime.audit.append(admin.id, admin.role, "users.add", None, {"user_id": user.id, "role": user.role},
                         tenant=admin.tenant)
    return user


@router.patch("/{user_id}", response_model=User)
async def update_user(user_id: str, body: UserUpdate, runtime: RuntimeDep, admin: Admin) -> User:
    """Activate or deactivate a user (a deactivated user's tokens stop working at once)."""
    store = UserStore(runtime.engine)
    _own_user(store, admin, user_id)
    user = await asyncio.to_thread(store.set_active, user_id, body.active)
    runtime.audit.append(admin.id, admin.role, "users.update", None, {"user_id": user_id, "active": body.active},
                         tenant=admin.tenant)
    return user


@router.post("/{user_id}/tokens", response_model=IssuedToken, status_code=201)
async def issue_token(user_id: str, runtime: RuntimeDep, admin: Admin) -> IssuedToken:
    """Issue an API token for the user; the clear token is in this response only (its SHA-256 is stored)."""
    store = UserStore(runtime.engine)
    _own_user(store, admin, user_id)
    issued = await asyncio.to_thread(store.issue, user_id)
    runtime.audit.append(admin.id, admin.role, "users.token", None, {"user_id": user_id, "token_id": issued.id},
                         tenant=admin.tenant)
    return issued
