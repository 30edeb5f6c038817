"""Authorizations, their care teams, open documentation items, briefs and alerts."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, model_validator

CareRole = Literal["therapist", "prescriber", "case_manager"]
AlertLevel = Literal["notice", "reminder", "escalated", "visit_cap"]


class CareTeamMember(BaseModel):
    """One clinician on the episode and the part of the record they document."""

    user_id: str = Field(min_length=1, max_length=100)
    role: CareRole


class AuthorizationCreate(BaseModel):
    """What the payer approved for one patient episode (the patient is a pseudonymous reference)."""

    patient_ref: str = Field(min_length=1, max_length=100, description="Practice's pseudonymous patient/episode id.")
    payer: str | None = Field(default=None, max_length=100, description="Payer id (rule pack); baseline when absent.")
    auth_ref: str = Field(min_length=1, max_length=100, description="The payer's authorization number.")
    visits_authorized: int = Field(ge=1, le=1000)
    visits_used: int = Field(default=0, ge=0, le=1000)
    start: dt.date
    end: dt.date
    review_date: dt.date = Field(description="Next concurrent-review date (clinical update due).")
    care_team: list[CareTeamMember] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _dates(self) -> AuthorizationCreate:
        if self.end < self.start:
            raise ValueError("end is before start")
        if not self.start <= self.review_date <= self.end:
            raise ValueError("review_date must fall between start and end")
        return self


class Authorization(AuthorizationCreate):
    """A stored authorization."""

    id: str
    tenant: str
    status: Literal["active", "renewed", "ended"] = "active"


class PolicyRef(BaseModel):
    """The policy passage behind an item."""

    policy_id: str
    section: str


class OpenItem(BaseModel):
    """A continued-care item for one authorization, owned by one role (and the team member who holds it)."""

    item_id: str
    label: str
    ask: str
    owner_role: CareRole
    owner_user: str | None
    due: dt.date
    status: Literal["open", "met"]
    met_by: str | None = Field(default=None, description="Note id whose text meets the item.")
    policy: PolicyRef | None = None


class BriefEntry(BaseModel):
    """One authorization in a clinician's pre-session brief."""

    authorization_id: str
    patient_ref: str
    payer: str | None
    review_date: dt.date
    days_to_review: int
    visits_remaining: int
    items: list[OpenItem]
    text: str


class Brief(BaseModel):
    """``parity auth brief`` / ``GET /v1/me/brief``: only the caller's own open items."""

    clinician: str
    date: dt.date
    entries: list[BriefEntry]


class Alert(BaseModel):
    """An in-app alert (also sent to the webhook when one is configured)."""

    alert_id: str
    authorization_id: str
    recipient: str
    level: AlertLevel
    day: dt.date
    text: str
    items: list[str]


class DailyRun(BaseModel):
    """What one daily pass did (a second pass on the same day creates nothing new)."""

    date: dt.date
    authorizations: int
    items_closed: int
    alerts: list[Alert]
    skipped_renewed: int
