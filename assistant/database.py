"""Relational database engine (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url


def make_engine(url: str) -> Engine:
    """Create a SQLAlchemy engine, creating the folder of a SQLite file if needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, pool_pre_ping=True)


def check_database(url: str) -> tuple[bool, str]:
    """Open a connection and run ``SELECT 1``; return ``(ok, detail)``."""
    try:
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        backend = engine.url.get_backend_name()
        engine.dispose()
    except Exception as exc:  # any driver error means "not ready"
        return False, f"database unavailable: {type(exc).__name__}"
    return True, f"{backend} reachable"
