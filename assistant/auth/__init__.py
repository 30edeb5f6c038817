"""Access control: users, API tokens, the permission matrix and FastAPI dependencies.

``users`` stores people and their hashed tokens, ``policy`` holds who may do what as data,
``deps`` turns both into FastAPI dependencies (``CurrentUser``, ``require(action)``).
"""

from assistant.auth.policy import PERMISSIONS, Resource, allowed, can_break_glass, can_review_note
from assistant.auth.users import ROLES, Role, User, UserStore

__all__ = [
    "PERMISSIONS",
    "ROLES",
    "Resource",
    "Role",
    "User",
    "UserStore",
    "allowed",
    "can_break_glass",
    "can_review_note",
]
