"""Relational database engine (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

import threading
import weakref
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, create_engine, inspect, text
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


_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATED: weakref.WeakSet[Engine] = weakref.WeakSet()
_MIGRATE_LOCK = threading.Lock()
_BASELINE = "0001"  # the schema that databases made before migrations existed already have


def schema_metadata() -> list[MetaData]:
    """Every table definition Parity keeps in the relational store (what the migrations must produce)."""
    from assistant.appeals.store import metadata as denials
    from assistant.audit.log import metadata as audit
    from assistant.auth.users import metadata as users
    from assistant.authorizations.store import metadata as authorizations
    from assistant.workflows.store import metadata as cases

    return [users, audit, cases, denials, authorizations]


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema with Alembic (once per engine and process).

    A database created before migrations existed (tables but no ``alembic_version``) is stamped
    with the baseline revision first, so its data stays and later revisions apply.
    """
    if engine in _MIGRATED:
        return
    with _MIGRATE_LOCK:
        if engine in _MIGRATED:
            return
        config = _alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            tables = set(inspect(conn).get_table_names())
            if "alembic_version" not in tables and {"users", "cases", "audit_events"} & tables:
                command.stamp(config, _BASELINE)
            command.upgrade(config, "head")
        _MIGRATED.add(engine)


def schema_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None`` before the first migration)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
