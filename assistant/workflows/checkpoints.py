"""Where the graphs' checkpoints live: SQLite on a laptop, PostgreSQL when the database URL says so.

Either way every checkpoint blob is encrypted with the vault key, and the graphs run with
``durability="sync"``, so a step's checkpoint is written before the next step starts.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver
from sqlalchemy.engine import make_url

from assistant.workflows.crypto import encrypted_serializer


def sqlite_checkpointer(path: Path, secret: str) -> SqliteSaver:
    """The embedded checkpointer: one SQLite file (WAL), every blob encrypted with the vault key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    return SqliteSaver(conn, serde=encrypted_serializer(secret))


def libpq_conninfo(database_url: str) -> str:
    """The SQLAlchemy URL (``postgresql+psycopg://…``) as a libpq connection string for psycopg."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_checkpointer(database_url: str, secret: str, *, max_size: int = 8) -> Any:
    """LangGraph's Postgres checkpointer on a small connection pool; creates its tables if needed."""
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    pool = ConnectionPool(libpq_conninfo(database_url), min_size=1, max_size=max_size, open=True,
                          kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})
    saver = PostgresSaver(pool, serde=encrypted_serializer(secret))  # type: ignore[arg-type]
    saver.setup()
    return saver


def make_checkpointer(database_url: str, data_dir: Path, secret: str) -> Any:
    """Postgres when ``database_url`` is PostgreSQL, else ``<data_dir>/checkpoints.sqlite``."""
    if make_url(database_url).get_backend_name() == "postgresql":
        return postgres_checkpointer(database_url, secret)
    return sqlite_checkpointer(data_dir / "checkpoints.sqlite", secret)


def close_checkpointer(saver: Any) -> None:
    """Release the checkpointer's connections (SQLite file or Postgres pool)."""
    conn = getattr(saver, "conn", None)
    if conn is not None and hasattr(conn, "close"):
        conn.close()
