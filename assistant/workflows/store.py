"""Relational records of cases and their signed outputs (the checkpoints hold the workflow itself)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from assistant.database import migrate

metadata = MetaData()
cases = Table(
    "cases", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("tenant", String(100), nullable=False),
    Column("owner", String(100), nullable=False),
    Column("status", String(30), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
signed_notes = Table(
    "signed_notes", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("text", Text, nullable=False),
    Column("signed_by", String(100), nullable=False),
    Column("signed_at", DateTime, nullable=False),
)


tasks = Table(
    "tasks", metadata,
    Column("task_id", String(60), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("role", String(30), nullable=False),
    Column("status", String(10), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)
appeal_submissions = Table(
    "appeal_submissions", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("deadline", String(10)),
    Column("submitted_by", String(100), nullable=False),
    Column("submitted_at", DateTime, nullable=False),
    Column("files", Text, nullable=False),
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class CaseRecords:
    """Cases and signed notes; finalizing twice stores one note."""

    def __init__(self, engine: Engine, vault: object, files_dir: Path | None = None) -> None:
        """Create the tables if needed; ``vault`` re-identifies at finalize time; letters go to ``files_dir``."""
        self.engine = engine
        self.vault = vault
        self.files_dir = files_dir or Path("var") / "appeals"
        migrate(engine)

    def create(self, case_id: str, kind: str, tenant: str, owner: str) -> None:
        """Record a new case."""
        with self.engine.begin() as conn:
            conn.execute(insert(cases).values(case_id=case_id, kind=kind, tenant=tenant, owner=owner, status="created",
                                              created_at=_now(), updated_at=_now()))

    def set_status(self, case_id: str, status: str) -> None:
        """Update a case's status."""
        with self.engine.begin() as conn:
            conn.execute(update(cases).where(cases.c.case_id == case_id).values(status=status, updated_at=_now()))

    def get(self, case_id: str) -> dict[str, object] | None:
        """A case row."""
        with self.engine.connect() as conn:
            row = conn.execute(select(cases).where(cases.c.case_id == case_id)).mappings().first()
        return dict(row) if row else None

    def list_cases(self, tenant: str, status: str | None = None) -> list[dict[str, object]]:
        """Cases of a tenant, newest first."""
        query = select(cases).where(cases.c.tenant == tenant).order_by(cases.c.created_at.desc())
        if status:
            query = query.where(cases.c.status == status)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def list_all_open(self) -> list[dict[str, object]]:
        """Cases not yet signed or rejected (every tenant): what a restart must look at."""
        query = select(cases).where(cases.c.status.not_in(["signed", "rejected", "submitted"]))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def finalize_note(self, case_id: str, pseudonymized: str, actor: str) -> None:
        """Re-identify and store the signed note once (a second call finds it and returns)."""
        text = self.vault.reidentify(pseudonymized, case_id)  # type: ignore[attr-defined]
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(signed_notes).values(case_id=case_id, text=text, signed_by=actor, signed_at=_now()))
        except IntegrityError:
            return

    def open_task(self, case_id: str, number: int, role: str, text: str) -> None:
        """Open a task once (``case_id:number`` is its key)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(tasks).values(task_id=f"{case_id}:{number}", case_id=case_id, role=role,
                                                  status="open", text=text, created_at=_now()))
        except IntegrityError:
            return

    def close_tasks(self, case_id: str) -> None:
        """Mark a case's open tasks done."""
        with self.engine.begin() as conn:
            conn.execute(update(tasks).where(tasks.c.case_id == case_id, tasks.c.status == "open").values(status="done"))

    def list_tasks(self, role: str | None = None, status: str = "open") -> list[dict[str, object]]:
        """Tasks, optionally for one role."""
        query = select(tasks).where(tasks.c.status == status).order_by(tasks.c.created_at)
        if role:
            query = query.where(tasks.c.role == role)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def finalize_appeal(self, case_id: str, letter: str, actor: str, deadline: str | None) -> dict[str, str]:
        """Render the letter (md, html, pdf) into the case folder and record the submission once."""
        from assistant.appeals.letter import letter_to_html, letter_to_pdf

        folder = self.files_dir / case_id
        folder.mkdir(parents=True, exist_ok=True)
        paths = {"markdown": folder / "appeal.md", "html": folder / "appeal.html", "pdf": folder / "appeal.pdf"}
        for key, content in (("markdown", letter), ("html", letter_to_html(letter))):
            tmp = paths[key].with_suffix(".tmp")
            tmp.write_text(content, encoding="utf-8")
            tmp.replace(paths[key])
        letter_to_pdf(letter, paths["pdf"])
        files = {k: str(v) for k, v in paths.items()}
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(appeal_submissions).values(case_id=case_id, deadline=deadline, submitted_by=actor,
                                                               submitted_at=_now(), files=json.dumps(files)))
        except IntegrityError:
            pass
        return files

    def submission(self, case_id: str) -> dict[str, object] | None:
        """The recorded submission of an appeal case."""
        with self.engine.connect() as conn:
            row = conn.execute(select(appeal_submissions).where(appeal_submissions.c.case_id == case_id)).mappings().first()
        return dict(row) if row else None

    def signed_note(self, case_id: str) -> str | None:
        """The signed, re-identified note."""
        with self.engine.connect() as conn:
            row = conn.execute(select(signed_notes.c.text).where(signed_notes.c.case_id == case_id)).first()
        return row[0] if row else None
