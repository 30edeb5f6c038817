"""The permission matrix (every action x role), tenant isolation, ownership, and the FastAPI gate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from assistant.auth.deps import LOCAL_USER, CurrentUser, authorize, require
from assistant.auth.policy import (
    PERMISSIONS,
    Resource,
    allowed,
    can_break_glass,
    can_review_note,
    reads_deidentified,
)
from assistant.auth.users import ROLES, User, UserStore
from assistant.database import make_engine
from assistant.errors import NotFoundError, ParityError
from assistant.settings import Settings

# Which roles may take each action on a resource of their own practice that they own
# (and, for case.read, an appeal case). "-" = refused.
MATRIX = {
    #                                  clinician  biller  compliance  admin
    "note.create":                    ("yes",    "-",    "-",        "-"),
    "note.review":                    ("yes",    "-",    "-",        "-"),
    "appeal.create":                  ("-",      "yes",  "-",        "-"),
    "appeal.review":                  ("-",      "yes",  "-",        "-"),
    "appeal.request_clinical_input":  ("-",      "yes",  "-",        "-"),
    "task.complete":                  ("yes",    "-",    "-",        "-"),
    "case.read":                      ("yes",    "yes",  "yes",      "yes"),
    "audit.read":                     ("-",      "-",    "yes",      "yes"),
    "users.manage":                   ("-",      "-",    "-",        "yes"),
    "rulepacks.manage":               ("-",      "-",    "-",        "yes"),
    "prompts.activate":               ("-",      "-",    "-",        "yes"),
    "policies.ingest":                ("-",      "-",    "-",        "yes"),
    "break_glass":                    ("-",      "-",    "yes",      "-"),
    "check.run":                      ("yes",    "yes",  "-",        "yes"),
    "deid.run":                       ("yes",    "yes",  "yes",      "yes"),
    "authorizations.manage":          ("-",      "yes",  "-",        "yes"),
    "authorizations.read":            ("yes",    "yes",  "yes",      "yes"),
}  # fmt: skip
CELLS = [(action, role, grants[i] == "yes") for action, grants in MATRIX.items() for i, role in enumerate(ROLES)]


def make(role: str, tenant: str = "north", uid: str | None = None) -> User:
    return User(id=uid or f"{role}-1", name=role, role=role, tenant=tenant)  # type: ignore[arg-type]


def test_matrix_covers_every_action() -> None:
    assert set(MATRIX) == set(PERMISSIONS)
    assert ROLES == ("clinician", "biller", "compliance", "admin")


@pytest.mark.parametrize(("action", "role", "expected"), CELLS)
def test_when_own_resource_in_own_tenant_then_matrix_decides(action: str, role: str, expected: bool) -> None:
    user = make(role)
    assert allowed(user, action, tenant="north", owner_id=user.id, kind="appeal") is expected


@pytest.mark.parametrize(("action", "role"), [(a, r) for a, r, _ in CELLS])
def test_when_other_tenant_then_every_action_refused(action: str, role: str) -> None:
    user = make(role)
    assert not allowed(user, action, tenant="south", owner_id=user.id, kind="appeal")


@pytest.mark.parametrize(("action", "role"), [(a, r) for a, r, ok in CELLS if ok])
def test_when_user_inactive_then_every_action_refused(action: str, role: str) -> None:
    user = make(role).model_copy(update={"active": False})
    assert not allowed(user, action, tenant="north", owner_id=user.id, kind="appeal")


@pytest.mark.parametrize(
    ("role", "action", "kwargs", "expected"),
    [
        ("biller", "note.review", {"owner_id": "biller-1"}, False),
        ("clinician", "note.review", {"owner_id": "clinician-2"}, False),
        ("clinician", "note.review", {}, False),  # owner unknown: fail closed
        ("compliance", "note.review", {}, False),
        ("compliance", "audit.read", {}, True),
        ("clinician", "task.complete", {"owner_id": "clinician-2"}, False),
        ("clinician", "case.read", {"owner_id": "clinician-2"}, False),
        ("biller", "case.read", {"kind": "note"}, False),
        ("biller", "case.read", {}, False),
        ("biller", "case.read", {"kind": "appeal"}, True),
        ("compliance", "case.read", {"owner_id": "clinician-2", "kind": "note"}, True),
        ("admin", "case.read", {"owner_id": "clinician-2", "kind": "note"}, True),
        ("admin", "note.review", {"owner_id": "admin-1"}, False),
        ("compliance", "appeal.review", {}, False),
    ],
)
def test_ownership_and_kind(role: str, action: str, kwargs: dict[str, Any], expected: bool) -> None:
    assert allowed(make(role), action, tenant="north", **kwargs) is expected


def test_can_review_note_only_for_own_case() -> None:
    assert can_review_note(make("clinician"), "clinician-1")
    assert not can_review_note(make("clinician"), "clinician-2")
    assert not can_review_note(make("clinician"), "clinician-1", tenant="south")
    assert not can_review_note(make("biller"), "biller-1")


def test_break_glass_needs_compliance_and_a_reason() -> None:
    reason = "Payer audit request 2024-117 needs the identified record"
    assert can_break_glass(make("compliance"), reason, tenant="north")
    assert not can_break_glass(make("compliance"), "   ", tenant="north")
    assert not can_break_glass(make("compliance"), None)
    assert not can_break_glass(make("compliance"), reason, tenant="south")
    assert not can_break_glass(make("admin"), reason)
    assert reads_deidentified(make("compliance")) and not reads_deidentified(make("clinician"))


def test_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        allowed(make("admin"), "note.delete")
    with pytest.raises(ValueError, match="unknown action"):
        require("note.delete")


# --- FastAPI ---------------------------------------------------------------------------------


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'parity.db'}")
    yield eng
    eng.dispose()


def case(request: Request) -> Resource:
    """Resolve the case of the path (a real route would read the case store on the runtime)."""
    cases: dict[str, Resource] = request.app.state.cases
    if request.path_params["case_id"] not in cases:
        raise NotFoundError("no such case", "case_id")
    return cases[request.path_params["case_id"]]


def tiny_app(runtime: Any, cases: dict[str, Resource]) -> FastAPI:
    """Routes guarded like the real ones; the real app maps ParityError the same way."""
    app = FastAPI()
    app.state.runtime = runtime
    app.state.cases = cases

    @app.exception_handler(ParityError)
    async def _error(_: Request, exc: ParityError) -> JSONResponse:
        return JSONResponse(status_code=exc.status_code, content={"error": exc.to_dict()})

    @app.post("/cases/{case_id}/review")
    def review(case_id: str, user: Annotated[User, Depends(require("note.review", case))]) -> dict[str, str]:
        return {"case": case_id, "by": user.id}

    @app.get("/cases/{case_id}")
    def read(case_id: str, user: Annotated[User, Depends(require("case.read"))]) -> dict[str, Any]:
        authorize(user, "case.read", cases[case_id])
        return {"case": case_id, "deidentified": reads_deidentified(user)}

    @app.get("/me")
    def me(user: CurrentUser) -> User:
        return user

    return app


@pytest.fixture
def world(engine: Engine, settings: Settings) -> Iterator[tuple[TestClient, dict[str, str]]]:
    store = UserStore(engine)
    people = {
        "owner": store.create_user("Dana", "clinician", "north"),
        "other": store.create_user("Lee", "clinician", "north"),
        "biller": store.create_user("Bo", "biller", "north"),
        "compliance": store.create_user("Sam", "compliance", "north"),
        "south": store.create_user("Kim", "clinician", "south"),
    }
    tokens = {k: store.issue_token(u.id) for k, u in people.items()}
    tokens["revoked"] = store.issue_token(people["owner"].id)
    store.revoke(store.list_tokens(people["owner"].id)[-1].id)
    cases = {"c1": Resource(tenant="north", owner_id=people["owner"].id, kind="note")}
    runtime = SimpleNamespace(settings=settings.model_copy(update={"auth": "required"}), engine=engine)
    with TestClient(tiny_app(runtime, cases)) as client:
        yield client, tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, 401, "unauthenticated"),
        ("revoked", 401, "unauthenticated"),
        ("biller", 403, "forbidden"),
        ("compliance", 403, "forbidden"),
        ("other", 403, "forbidden"),
        ("south", 404, "not_found"),  # another practice's case does not exist for them
        ("owner", 200, None),
    ],
)
def test_review_route_gate(world: tuple[TestClient, dict[str, str]], who: str | None, status: int,
                           code: str | None) -> None:
    client, tokens = world
    response = client.post("/cases/c1/review", headers=bearer(tokens[who]) if who else {})
    assert response.status_code == status, response.text
    if code:
        assert response.json()["error"]["code"] == code
    else:
        assert response.json()["case"] == "c1"


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer    ", "Token x", "Bearer not-a-token"])
def test_bad_authorization_header_is_401(world: tuple[TestClient, dict[str, str]], header: str) -> None:
    client, _ = world
    response = client.get("/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]["field"] == "Authorization"


def test_compliance_reads_cases_deidentified(world: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = world
    assert client.get("/cases/c1", headers=bearer(tokens["compliance"])).json() == {
        "case": "c1", "deidentified": True}
    assert client.get("/cases/c1", headers=bearer(tokens["owner"])).json()["deidentified"] is False
    assert client.get("/cases/c1", headers=bearer(tokens["other"])).status_code == 403
    assert client.get("/cases/c1", headers=bearer(tokens["biller"])).status_code == 403  # a note case


def test_when_auth_off_then_every_request_is_the_local_admin(engine: Engine) -> None:
    runtime = SimpleNamespace(settings=SimpleNamespace(auth="off"), engine=engine)
    cases = {"c1": Resource(tenant="north", owner_id="someone", kind="note")}
    with TestClient(tiny_app(runtime, cases)) as client:
        assert client.get("/me").json() == LOCAL_USER.model_dump()
        assert client.get("/me", headers={"Authorization": "Bearer junk"}).json()["id"] == "local"
        assert client.post("/cases/c1/review").status_code == 200


def test_when_auth_required_explicitly_then_token_needed(engine: Engine) -> None:
    runtime = SimpleNamespace(settings=SimpleNamespace(auth="required"), engine=engine)
    with TestClient(tiny_app(runtime, {})) as client:
        assert client.get("/me").status_code == 401
