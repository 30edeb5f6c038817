"""Who may do what: the permission matrix as data, and the checks that apply it.

=====================================  =========  ===========  =============  =====
action                                 clinician  biller       compliance     admin
=====================================  =========  ===========  =============  =====
``note.create``                        yes        -            -              -
``note.review`` (approve/edit/reject)  own case   -            -              -
``appeal.create``                      -          yes          -              -
``appeal.review``                      -          yes          -              -
``appeal.request_clinical_input``      -          yes          -              -
``task.complete`` (clinical input)     own task   -            -              -
``case.read``                          own case   appeals      de-identified  yes
``audit.read``                         -          -            yes            yes
``users.manage``                       -          -            -              yes
``rulepacks.manage``                   -          -            -              yes
``prompts.activate``                   -          -            -              yes
``policies.ingest``                    -          -            -              yes
``break_glass`` (with a reason)        -          -            yes            -
``check.run``                          yes        yes          -              yes
``deid.run``                           yes        yes          yes            yes
``authorizations.manage``              -          yes          -              yes
``authorizations.read``                own team   yes          yes            yes
=====================================  =========  ===========  =============  =====

Every grant is confined to the user's own practice: a resource whose tenant is known and
differs from the user's is refused whatever the role. "own" grants need the resource's
owner (fail closed when it is unknown); the biller's ``case.read`` needs ``kind="appeal"``;
compliance reads cases de-identified (:func:`reads_deidentified`) and sees identified text
only through :func:`can_break_glass`, which wants a reason the caller writes to the audit.
Billers never approve notes; compliance never changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.auth.users import Role, User

PERMISSIONS: dict[str, set[Role]] = {
    "note.create": {"clinician"},
    "note.review": {"clinician"},
    "appeal.create": {"biller"},
    "appeal.review": {"biller"},
    "appeal.request_clinical_input": {"biller"},
    "task.complete": {"clinician"},
    "case.read": {"clinician", "biller", "compliance", "admin"},
    "audit.read": {"compliance", "admin"},
    "users.manage": {"admin"},
    "rulepacks.manage": {"admin"},
    "prompts.activate": {"admin"},
    "policies.ingest": {"admin"},
    "break_glass": {"compliance"},
    "check.run": {"clinician", "biller", "admin"},
    "deid.run": {"clinician", "biller", "compliance", "admin"},
    "authorizations.manage": {"biller", "admin"},
    "authorizations.read": {"clinician", "biller", "compliance", "admin"},
}
"""Roles granted each action (before tenant, ownership and kind are considered)."""

OWN_ONLY: dict[str, set[Role]] = {
    "note.review": {"clinician"},
    "task.complete": {"clinician"},
    "case.read": {"clinician"},
}
"""Grants that hold only for the resource's owner (the case's clinician, the task's assignee)."""

KIND_ONLY: dict[tuple[str, Role], str] = {("case.read", "biller"): "appeal"}
"""Grants that hold only for one kind of resource."""

DEIDENTIFIED: dict[str, set[Role]] = {"case.read": {"compliance"}}
"""Grants that show pseudonymized text only."""

MIN_REASON_CHARS = 10
"""A break-glass reason shorter than this (after trimming) is refused."""


@dataclass(frozen=True)
class Resource:
    """What a check needs to know about the thing acted on; ``None`` means not known."""

    tenant: str | None = None
    owner_id: str | None = None
    kind: str | None = None


def _known(action: str) -> set[Role]:
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None


def role_allows(user: User, action: str) -> bool:
    """Whether an active user's role may take ``action`` at all (the route-level gate).

    Raises:
        ValueError: ``action`` is not in :data:`PERMISSIONS` (a programming error).
    """
    return user.active and user.role in _known(action)


def allowed(
    user: User, action: str, *, tenant: str | None = None, owner_id: str | None = None, kind: str | None = None
) -> bool:
    """Whether ``user`` may take ``action`` on a resource of ``tenant``, owned by ``owner_id``.

    Args:
        user: who acts.
        action: a key of :data:`PERMISSIONS`.
        tenant: the resource's practice; a different practice is always refused.
        owner_id: the resource's owner; required (else refused) for :data:`OWN_ONLY` grants.
        kind: the resource's kind (``"appeal"``, ``"note"``); required for :data:`KIND_ONLY` grants.

    Raises:
        ValueError: unknown action.
    """
    if not role_allows(user, action):
        return False
    if tenant is not None and tenant != user.tenant:
        return False
    if user.role in OWN_ONLY.get(action, set()) and owner_id != user.id:
        return False
    required_kind = KIND_ONLY.get((action, user.role))
    return required_kind is None or kind == required_kind


def can_review_note(user: User, case_owner_id: str, *, tenant: str | None = None) -> bool:
    """Whether ``user`` may approve, edit or reject the note of a case: its own clinician only."""
    return allowed(user, "note.review", tenant=tenant, owner_id=case_owner_id)


def reads_deidentified(user: User, action: str = "case.read") -> bool:
    """Whether what ``user`` reads through ``action`` must be the pseudonymized text."""
    return user.role in DEIDENTIFIED.get(action, set())


def can_break_glass(user: User, reason: str | None, *, tenant: str | None = None) -> bool:
    """Whether ``user`` may see identified text, given a written reason (to be audited by the caller)."""
    if reason is None or len(reason.strip()) < MIN_REASON_CHARS:
        return False
    return allowed(user, "break_glass", tenant=tenant)
