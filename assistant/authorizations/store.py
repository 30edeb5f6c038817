"""Authorizations, the notes that count toward them (results only, never text) and the alerts sent."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from assistant.authorizations.models import Alert, Authorization, AuthorizationCreate, CareTeamMember
from assistant.database import migrate
from assistant.errors import NotFoundError

metadata = MetaData()
authorizations = Table(
    "authorizations", metadata,
    Column("id", String(36), primary_key=True),
    Column("tenant", String(100), nullable=False, index=True),
    Column("patient_ref", String(100), nullable=False),
    Column("payer", String(100)),
    Column("auth_ref", String(100), nullable=False),
    Column("visits_authorized", Integer, nullable=False),
    Column("visits_used", Integer, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("review_date", Date, nullable=False),
    Column("care_team", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("created_at", DateTime, nullable=False),
)
authorization_notes = Table(
    "authorization_notes", metadata,
    Column("note_id", String(60), primary_key=True),
    Column("authorization_id", String(36), nullable=False, index=True),
    Column("author", String(100), nullable=False),
    Column("day", Date, nullable=False),
    Column("met_items", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)
authorization_cases = Table(
    "authorization_cases", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("authorization_id", String(36), nullable=False, index=True),
    Column("cpt", String(5)),
)
authorization_alerts = Table(
    "authorization_alerts", metadata,
    Column("alert_id", String(64), primary_key=True),
    Column("authorization_id", String(36), nullable=False, index=True),
    Column("recipient", String(100), nullable=False, index=True),
    Column("level", String(12), nullable=False),
    Column("day", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("items", Text, nullable=False),
    Column("delivered", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _auth(row: Any) -> Authorization:
    data = dict(row)
    data["care_team"] = [CareTeamMember.model_validate(m) for m in json.loads(data["care_team"])]
    data.pop("created_at", None)
    return Authorization.model_validate(data)


class AuthorizationStore:
    """SQLAlchemy storage (SQLite or PostgreSQL) of authorizations, note results and alerts."""

    def __init__(self, engine: Engine) -> None:
        """Bind to ``engine`` and bring its schema up to date."""
        self.engine = engine
        migrate(engine)

    def create(self, body: AuthorizationCreate, tenant: str) -> Authorization:
        """Store a new authorization for ``tenant``."""
        row = body.model_dump() | {"id": str(uuid.uuid4()), "tenant": tenant, "status": "active", "created_at": _now()}
        row["care_team"] = json.dumps([m.model_dump() for m in body.care_team])
        with self.engine.begin() as conn:
            conn.execute(insert(authorizations).values(**row))
        return self.get(row["id"])

    def get(self, auth_id: str) -> Authorization:
        """One authorization; :class:`NotFoundError` naming ``authorization_id`` when absent."""
        with self.engine.connect() as conn:
            row = conn.execute(select(authorizations).where(authorizations.c.id == auth_id)).mappings().first()
        if row is None:
            raise NotFoundError("no such authorization", "authorization_id")
        return _auth(row)

    def list_authorizations(self, tenant: str | None = None, status: str | None = None) -> list[Authorization]:
        """Authorizations, by review date; optionally one practice's or one status."""
        query = select(authorizations).order_by(authorizations.c.review_date, authorizations.c.id)
        if tenant is not None:
            query = query.where(authorizations.c.tenant == tenant)
        if status is not None:
            query = query.where(authorizations.c.status == status)
        with self.engine.connect() as conn:
            return [_auth(r) for r in conn.execute(query).mappings()]

    def set_status(self, auth_id: str, status: str) -> None:
        """Mark an authorization renewed or ended (its alerts stop)."""
        with self.engine.begin() as conn:
            conn.execute(update(authorizations).where(authorizations.c.id == auth_id).values(status=status))

    def add_visit(self, auth_id: str) -> None:
        """Count one more visit used."""
        with self.engine.begin() as conn:
            conn.execute(update(authorizations).where(authorizations.c.id == auth_id)
                         .values(visits_used=authorizations.c.visits_used + 1))

    def record_note(self, note_id: str, auth_id: str, author: str, day: dt.date, met_items: list[str]) -> bool:
        """Record which items a signed note meets; ``False`` when the note was recorded before (idempotent)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(authorization_notes).values(
                    note_id=note_id, authorization_id=auth_id, author=author, day=day,
                    met_items=json.dumps(sorted(met_items)), created_at=_now()))
        except IntegrityError:
            return False
        return True

    def met_items(self, auth_id: str, since: dt.date, until: dt.date) -> dict[str, str]:
        """Item id → the first note id (in date order) that met it between ``since`` and ``until``."""
        query = (select(authorization_notes).where(authorization_notes.c.authorization_id == auth_id)
                 .where(authorization_notes.c.day >= since).where(authorization_notes.c.day <= until)
                 .order_by(authorization_notes.c.day, authorization_notes.c.note_id))
        met: dict[str, str] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                for item in json.loads(row["met_items"]):
                    met.setdefault(item, row["note_id"])
        return met

    def link_case(self, case_id: str, auth_id: str, cpt: str | None) -> None:
        """A note case whose signed note counts toward this authorization."""
        self.get(auth_id)
        with self.engine.begin() as conn:
            conn.execute(insert(authorization_cases).values(case_id=case_id, authorization_id=auth_id, cpt=cpt))

    def case_link(self, case_id: str) -> tuple[str, str | None] | None:
        """``(authorization_id, cpt)`` of a linked note case, else ``None``."""
        with self.engine.connect() as conn:
            row = conn.execute(select(authorization_cases).where(authorization_cases.c.case_id == case_id)).first()
        return (str(row.authorization_id), row.cpt) if row else None

    def add_alert(self, alert: Alert) -> bool:
        """Store an alert once; ``False`` when the same alert exists (a re-run of the same day's pass)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(authorization_alerts).values(
                    alert_id=alert.alert_id, authorization_id=alert.authorization_id, recipient=alert.recipient,
                    level=alert.level, day=alert.day, text=alert.text, items=json.dumps(alert.items),
                    delivered=False, created_at=_now()))
        except IntegrityError:
            return False
        return True

    def mark_delivered(self, alert_id: str) -> None:
        """The webhook accepted the alert."""
        with self.engine.begin() as conn:
            conn.execute(update(authorization_alerts).where(authorization_alerts.c.alert_id == alert_id)
                         .values(delivered=True))

    def alerts(self, recipient: str | None = None, auth_id: str | None = None) -> list[Alert]:
        """Stored alerts, oldest first."""
        query = select(authorization_alerts).order_by(authorization_alerts.c.day, authorization_alerts.c.alert_id)
        if recipient is not None:
            query = query.where(authorization_alerts.c.recipient == recipient)
        if auth_id is not None:
            query = query.where(authorization_alerts.c.authorization_id == auth_id)
        with self.engine.connect() as conn:
            return [Alert.model_validate(dict(r) | {"items": json.loads(r["items"])})
                    for r in conn.execute(query).mappings()]
