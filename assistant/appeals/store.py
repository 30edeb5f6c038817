"""Stored denial cases (no identifiers: a keyed hash of the claim number), for recurring-pattern routing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import Column, Date, DateTime, Float, MetaData, String, Table, func, select
from sqlalchemy.engine import Engine

from assistant.appeals.models import Classification
from assistant.database import migrate

metadata = MetaData()
denial_cases = Table(
    "denial_cases",
    metadata,
    Column("claim_key", String(64), primary_key=True),
    Column("payer", String(100)),
    Column("root_cause", String(40), index=True),
    Column("amount", Float),
    Column("denial_date", Date),
    Column("recorded_at", DateTime, nullable=False),
)


class DenialCaseStore:
    """Records each classified denial once (keyed by an HMAC of payer + claim id)."""

    def __init__(self, engine: Engine, secret: str) -> None:
        """Create the table if needed; ``secret`` keys the claim hash."""
        self.engine = engine
        self.secret = secret.encode()
        migrate(engine)

    def key(self, payer: str | None, claim_id: str | None) -> str | None:
        """The stored key of a claim (never the claim number itself)."""
        if not claim_id:
            return None
        return hmac.new(self.secret, f"{payer}|{claim_id}".encode(), hashlib.sha256).hexdigest()

    def recent_same_cause(self, root_cause: str, day: dt.date, days: int, exclude: str | None = None) -> int:
        """Denials with this root cause dated within ``days`` before ``day`` (the claim itself excluded)."""
        since = day - dt.timedelta(days=days)
        query = select(func.count()).select_from(denial_cases).where(
            denial_cases.c.root_cause == root_cause,
            denial_cases.c.denial_date > since,
            denial_cases.c.denial_date <= day,
        )
        if exclude:
            query = query.where(denial_cases.c.claim_key != exclude)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def record(self, result: Classification, now: dt.datetime | None = None) -> None:
        """Store the case (idempotent: re-classifying the same claim updates it)."""
        key = self.key(result.denial.payer, result.denial.claim_id)
        if key is None:
            return
        row = {"claim_key": key, "payer": result.denial.payer, "root_cause": result.root_cause,
               "amount": result.denial.amount_denied, "denial_date": result.denial.denial_date,
               "recorded_at": now or dt.datetime.now(dt.UTC).replace(tzinfo=None)}
        with self.engine.begin() as conn:
            conn.execute(denial_cases.delete().where(denial_cases.c.claim_key == key))
            conn.execute(denial_cases.insert().values(**row))
