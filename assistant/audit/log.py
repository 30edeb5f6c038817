"""Append-only, hash-chained audit log of everything Parity does (and every read of identified data).

Each event stores ``hash = sha256(prev_hash + canonical_json(event))`` where the event is
``{seq, at, actor, role, action, case_id, tenant, details}`` and the first event's ``prev_hash``
is 64 zeros. Altering, deleting or reordering a stored event breaks the chain at that event, and
:meth:`AuditLog.verify` names it. Truncating the tail is only visible against an anchored copy of
``VerifyResult.head`` (publish it, e.g. daily, somewhere the database's writers cannot reach).

Callers pass **de-identified** details only: placeholders, hashes and ids (prompt name + version +
sha256, model id, retrieved chunk ids, decisions with reasons, the draft→final diff of
pseudonymized text). Nothing here inspects details for PHI.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import json
import threading
import weakref
from collections.abc import Generator, Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.exc import IntegrityError

from assistant.database import migrate

GENESIS = "0" * 64
FIELDS = ("seq", "at", "actor", "role", "action", "case_id", "tenant", "details", "prev_hash", "hash")
READ_IDENTIFIED = "read.identified"  # any read of identified data (re-identified notes, letters, vault)
BREAK_GLASS = "read.break_glass"  # an emergency read outside the reader's normal access

metadata = MetaData()
audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("role", String(100), nullable=False),
    Column("action", String(200), nullable=False),
    Column("case_id", String(200), nullable=True, index=True),
    Column("tenant", String(200), nullable=True),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    sqlite_autoincrement=True,
)

_APPEND_LOCK = threading.Lock()
_READY: weakref.WeakSet[Engine] = weakref.WeakSet()
_PG_LOCK_KEY = 0x7061726974794155  # advisory lock id for PostgreSQL appends
_RETRIES = 5
ExportFormat = Literal["jsonl", "csv"]


class AuditEvent(BaseModel):
    """One stored audit event."""

    seq: int
    at: str
    actor: str
    role: str
    action: str
    case_id: str | None = None
    tenant: str | None = None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class VerifyResult(BaseModel):
    """Outcome of recomputing the chain: ``first_bad`` is the seq of the first broken event."""

    ok: bool
    events: int
    first_bad: int | None = None
    reason: str | None = None
    head: str | None = None


def canonical_json(value: Any) -> str:
    """The canonical JSON text of ``value`` (sorted keys, no spaces, UTF-8 kept, no NaN)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(prev_hash: str, body: Mapping[str, Any]) -> str:
    """``sha256(prev_hash + canonical_json(body))`` as hex; ``body`` holds the hashed fields."""
    return hashlib.sha256((prev_hash + canonical_json(dict(body))).encode("utf-8")).hexdigest()


def diff(draft: str, final: str) -> str:
    """The unified diff from a draft to its final text (for the ``details`` of an approval)."""
    lines = difflib.unified_diff(
        draft.splitlines(keepends=True), final.splitlines(keepends=True), "draft", "final", lineterm=""
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"audit details: {type(value).__name__} is not JSON-serializable")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _since_text(since: dt.date | dt.datetime) -> str:
    if not isinstance(since, dt.datetime):
        return since.isoformat()
    return (since if since.tzinfo else since.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat(timespec="microseconds")


def _body(row: Mapping[Any, Any], details: Any) -> dict[str, Any]:
    return {k: row[k] for k in FIELDS[:7]} | {"details": details}


def check_chain(rows: Iterable[Mapping[Any, Any]]) -> VerifyResult:
    """Recompute a chain from its rows in ``seq`` order (``details`` as stored JSON text or a dict)."""
    prev, prev_seq, count = GENESIS, 0, 0
    for row in rows:
        count += 1
        seq = int(row["seq"])
        raw = row["details"]
        try:
            details = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return VerifyResult(ok=False, events=count, first_bad=seq, reason="details are not valid JSON")
        if seq != prev_seq + 1:
            return VerifyResult(ok=False, events=count, first_bad=seq,
                                reason=f"missing or reordered events: expected seq {prev_seq + 1}")
        if row["prev_hash"] != prev:
            return VerifyResult(ok=False, events=count, first_bad=seq,
                                reason="prev_hash does not match the previous event's hash")
        if event_hash(prev, _body(row, details)) != row["hash"]:
            return VerifyResult(ok=False, events=count, first_bad=seq,
                                reason="hash does not match the event's content")
        prev, prev_seq = str(row["hash"]), seq
    return VerifyResult(ok=True, events=count, head=prev if count else None)


def render(events: Iterable[AuditEvent], fmt: ExportFormat = "jsonl") -> str:
    """Events as JSON Lines or CSV (header row; ``details`` as canonical JSON text).

    Raises:
        ValueError: ``fmt`` is neither ``"jsonl"`` nor ``"csv"``.
    """
    if fmt == "jsonl":
        return "".join(canonical_json(e.model_dump()) + "\n" for e in events)
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}: use jsonl or csv")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FIELDS), lineterminator="\n")
    writer.writeheader()
    for e in events:
        writer.writerow(e.model_dump() | {"details": canonical_json(e.details)})
    return out.getvalue()


def _ensure_table(engine: Engine) -> None:
    if engine in _READY:
        return
    migrate(engine)
    _READY.add(engine)


class AuditLog:
    """The audit trail on a SQLAlchemy engine; appends are serialized, nothing is updated or deleted."""

    def __init__(self, engine: Engine) -> None:
        """Bind to ``engine`` and create the ``audit_events`` table if needed."""
        self.engine = engine
        _ensure_table(engine)

    def append(
        self,
        actor: str,
        role: str,
        action: str,
        case_id: str | None = None,
        details: Mapping[str, Any] | None = None,
        tenant: str | None = None,
    ) -> AuditEvent:
        """Append one event, chained to the last one.

        Args:
            actor: Who acted (user id or a service name such as ``"scribe"``).
            role: The actor's role (clinician, biller, compliance, system).
            action: What happened, dotted (``note.draft``, ``note.approve``, ``read.identified``).
            case_id: The case the event belongs to, if any.
            details: De-identified inputs/outputs, prompt and model references, chunk ids,
                decisions with reasons, diffs. Dates, sets and pydantic models are converted.
            tenant: The practice owning the case, if any.

        Returns:
            The stored event with its ``seq`` and ``hash``.

        Raises:
            TypeError: ``details`` holds a value that has no JSON form.
            ValueError: ``details`` holds NaN or infinity.
        """
        clean = json.loads(json.dumps(dict(details or {}), default=_jsonable, allow_nan=False))
        attempt = 0
        with _APPEND_LOCK:
            while True:
                try:
                    with self.engine.begin() as conn:
                        return self._append_locked(conn, actor, role, action, case_id, tenant, clean)
                except IntegrityError:  # a writer without a lock took our seq; read the new tail
                    attempt += 1
                    if attempt >= _RETRIES:
                        raise

    def _append_locked(self, conn: Connection, actor: str, role: str, action: str,
                       case_id: str | None, tenant: str | None, details: dict[str, Any]) -> AuditEvent:
        dialect = conn.dialect.name
        if dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA busy_timeout = 30000")
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock before reading the tail
        elif dialect == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
        last = conn.execute(
            select(audit_events.c.seq, audit_events.c.hash).order_by(audit_events.c.seq.desc()).limit(1)
        ).first()
        seq, prev = (int(last.seq) + 1, str(last.hash)) if last else (1, GENESIS)
        body = {"seq": seq, "at": _now(), "actor": actor, "role": role, "action": action,
                "case_id": case_id, "tenant": tenant, "details": details}
        digest = event_hash(prev, body)
        conn.execute(audit_events.insert().values(
            **(body | {"details": canonical_json(details), "prev_hash": prev, "hash": digest})
        ))
        return AuditEvent.model_validate(body | {"prev_hash": prev, "hash": digest})

    def _rows(
        self, case_id: str | None = None, since: dt.date | dt.datetime | None = None,
        limit: int | None = None, after: int | None = None, tenant: str | None = None,
    ) -> Generator[RowMapping, None, None]:
        query = select(audit_events).order_by(audit_events.c.seq)
        if tenant is not None:
            query = query.where(audit_events.c.tenant == tenant)
        if case_id is not None:
            query = query.where(audit_events.c.case_id == case_id)
        if since is not None:
            query = query.where(audit_events.c.at >= _since_text(since))
        if after is not None:
            query = query.where(audit_events.c.seq > after)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            yield from conn.execution_options(yield_per=1000).execute(query).mappings()

    def verify(self) -> VerifyResult:
        """Recompute the whole chain; ``first_bad`` names the first altered, moved or orphaned event."""
        rows = self._rows()
        try:
            return check_chain(rows)
        finally:
            rows.close()  # release the connection when the chain breaks early

    def events(
        self, case_id: str | None = None, since: dt.date | dt.datetime | None = None,
        limit: int | None = None, after: int | None = None, tenant: str | None = None,
    ) -> list[AuditEvent]:
        """Stored events in ``seq`` order.

        Args:
            case_id: Only this case's events.
            since: Only events at or after this day (UTC) or instant.
            limit: At most this many events.
            after: Only events with a ``seq`` above this one (paging).
            tenant: Only this practice's events.

        Returns:
            The matching events.
        """
        return [
            AuditEvent.model_validate(dict(row) | {"details": json.loads(row["details"])})
            for row in self._rows(case_id, since, limit, after, tenant)
        ]

    def export(
        self, case_id: str | None = None, since: dt.date | dt.datetime | None = None,
        fmt: ExportFormat = "jsonl", tenant: str | None = None,
    ) -> str:
        """Export the events matching ``case_id``, ``since`` and ``tenant`` (see :meth:`events`) with :func:`render`."""
        return render(self.events(case_id=case_id, since=since, tenant=tenant), fmt)
