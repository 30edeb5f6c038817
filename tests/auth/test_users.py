"""Users and API tokens: hashed at rest, authenticate, revoke, inactive, tenants, CLI."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from assistant.auth.users import UserStore, hash_token
from assistant.cli import app
from assistant.database import make_engine
from assistant.errors import InvalidInputError, NotFoundError


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def store(engine: Engine) -> UserStore:
    return UserStore(engine)


def test_when_token_issued_then_only_its_sha256_is_stored(store: UserStore, engine: Engine) -> None:
    user = store.create_user("Dana Cruz", "clinician", "north")
    token = store.issue_token(user.id)
    assert len(token) >= 43
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM api_tokens")).mappings().all()
        dump = json.dumps([dict(r) for r in rows], default=str)
        everything = " ".join(
            str(v) for table in ("users", "api_tokens")
            for row in conn.execute(text(f"SELECT * FROM {table}")) for v in row
        )
    assert token not in dump and token not in everything
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest() == hash_token(token)


def test_when_token_valid_then_authenticate_returns_user_and_records_use(store: UserStore) -> None:
    user = store.create_user("Dana Cruz", "clinician", "north")
    token = store.issue_token(user.id)
    assert store.list_tokens(user.id)[0].last_used_at is None
    assert store.authenticate(token) == user
    assert store.list_tokens(user.id)[0].last_used_at is not None


@pytest.mark.parametrize("token", ["", "nope", "x" * 43])
def test_when_token_unknown_then_none(store: UserStore, token: str) -> None:
    store.issue_token(store.create_user("A", "biller", "north").id)
    assert store.authenticate(token) is None


def test_when_token_revoked_then_none_and_other_tokens_still_work(store: UserStore) -> None:
    user = store.create_user("Lee Park", "biller", "north")
    first, second = store.issue(user.id), store.issue(user.id)
    store.revoke(first.id)
    store.revoke(first.id)  # idempotent
    assert store.authenticate(first.token) is None
    assert store.authenticate(second.token) == user
    assert [t.revoked for t in store.list_tokens(user.id)] == [True, False]


def test_when_token_id_unknown_then_revoke_raises(store: UserStore) -> None:
    with pytest.raises(NotFoundError):
        store.revoke("no-such-token")


def test_when_user_inactive_then_tokens_fail_and_no_new_token(store: UserStore) -> None:
    user = store.create_user("Sam Ito", "compliance", "north")
    token = store.issue_token(user.id)
    assert not store.set_active(user.id, False).active
    assert store.authenticate(token) is None
    with pytest.raises(InvalidInputError):
        store.issue_token(user.id)
    store.set_active(user.id, True)
    assert store.authenticate(token) == store.get(user.id)


def test_when_listing_by_tenant_then_other_tenants_are_absent(store: UserStore) -> None:
    a = store.create_user("A", "clinician", "north")
    b = store.create_user("B", "admin", "south")
    assert store.list_users("north") == [a]
    assert store.list_users("south") == [b]
    assert {u.id for u in store.list_users()} == {a.id, b.id}
    assert store.list_users("east") == []


def test_when_two_tenants_then_each_token_names_its_own_tenant(store: UserStore) -> None:
    a = store.create_user("A", "clinician", "north")
    b = store.create_user("B", "clinician", "south")
    assert store.authenticate(store.issue_token(a.id)).tenant == "north"  # type: ignore[union-attr]
    assert store.authenticate(store.issue_token(b.id)).tenant == "south"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "role", "tenant", "field"),
    [("", "clinician", "north", "name"), ("A", "doctor", "north", "role"), ("A", "admin", " ", "tenant")],
)
def test_when_user_input_bad_then_error_names_field(
    store: UserStore, name: str, role: str, tenant: str, field: str
) -> None:
    with pytest.raises(InvalidInputError) as err:
        store.create_user(name, role, tenant)
    assert err.value.field == field


def test_when_unknown_user_then_get_none_and_issue_raises(store: UserStore) -> None:
    assert store.get("missing") is None
    with pytest.raises(NotFoundError):
        store.issue_token("missing")
    with pytest.raises(NotFoundError):
        store.set_active("missing", False)


def test_cli_users_add_list_token_revoke() -> None:
    runner = CliRunner()
    added = runner.invoke(app, ["users", "add", "Dana Cruz", "--role", "clinician", "--tenant", "north", "--json"])
    assert added.exit_code == 0, added.output
    doc = json.loads(added.stdout)
    user_id, token = doc["user"]["id"], doc["token"]
    assert doc["user"] | {"id": "x"} == {"id": "x", "name": "Dana Cruz", "role": "clinician",
                                          "tenant": "north", "active": True}

    listed = json.loads(runner.invoke(app, ["users", "list", "--tenant", "north", "--json"]).stdout)
    assert [u["id"] for u in listed["users"]] == [user_id]
    assert token not in json.dumps(listed)
    assert json.loads(runner.invoke(app, ["users", "list", "--tenant", "south", "--json"]).stdout) == {"users": []}

    second = json.loads(runner.invoke(app, ["users", "token", user_id, "--json"]).stdout)
    assert second["token"] != token and second["user_id"] == user_id

    revoked = runner.invoke(app, ["users", "revoke", second["token_id"], "--json"])
    assert json.loads(revoked.stdout) == {"revoked": second["token_id"]}
    tokens = json.loads(runner.invoke(app, ["users", "list", "--json"]).stdout)["users"][0]["tokens"]
    assert sorted(t["revoked"] for t in tokens) == [False, True]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "add", "A", "--role", "doctor", "--tenant", "n", "--json"], "role:"),
        (["users", "token", "missing", "--json"], "user_id:"),
        (["users", "revoke", "missing"], "token_id:"),
    ],
)
def test_cli_users_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1
