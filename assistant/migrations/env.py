"""Alembic environment: runs on the connection :func:`assistant.database.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from assistant.database import schema_metadata

config = context.config
target_metadata = schema_metadata()
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the alembic CLI without Parity's runner
    raise RuntimeError("run migrations through assistant.database.migrate (it passes the connection)")

context.configure(
    connection=connection, target_metadata=target_metadata, render_as_batch=True, compare_type=True
)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":  # two processes starting at once migrate one after the other
        connection.execute(text("SELECT pg_advisory_xact_lock(7061726974790001)"))
    context.run_migrations()
