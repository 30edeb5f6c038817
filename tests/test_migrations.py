"""Alembic migrations: a fresh database reaches the models' schema; a pre-migration database is adopted."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect, text

from assistant.auth.users import UserStore
from assistant.database import make_engine, migrate, schema_metadata, schema_revision


def test_fresh_database_matches_the_models_after_upgrade(database_url: str) -> None:
    engine = make_engine(database_url)
    assert schema_revision(engine) is None
    migrate(engine)
    assert schema_revision(engine) == "0002"
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), schema_metadata())
    assert diffs == []  # every table, column, type, index and key the code uses exists as migrated
    migrate(engine)  # idempotent
    engine.dispose()


def test_second_process_finds_the_schema_current(database_url: str) -> None:
    first = make_engine(database_url)
    user = UserStore(first).create_user("Pat", "clinician", "t1")
    first.dispose()
    second = make_engine(database_url)  # a new engine is a new "process" for the migrator
    store = UserStore(second)
    assert store.get(user.id) is not None and schema_revision(second) == "0002"
    second.dispose()


def test_database_made_before_migrations_is_adopted_and_keeps_its_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'old.db').as_posix()}"
    engine = make_engine(url)
    legacy = MetaData()
    for md in schema_metadata():
        for table in md.tables.values():
            if not table.name.startswith("authorization"):  # tables that came after Alembic (revision 0002)
                table.to_metadata(legacy)
    legacy.create_all(engine)  # what releases before Alembic did
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO cases VALUES ('c1', 'note', 't1', 'u1', 'signed', '2026-01-01', '2026-01-01')"))
    fresh = make_engine(url)
    migrate(fresh)
    assert schema_revision(fresh) == "0002"
    with fresh.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 1
    assert "alembic_version" in inspect(fresh).get_table_names()
    engine.dispose()
    fresh.dispose()
