"""Every protected endpoint × every role (and no token): who gets through, who gets 401/403."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.auth.users import UserStore
from assistant.settings import Settings
from retrieval.policy_store import PolicyStore
from tests.appeals.test_draft import DENIAL
from tests.retrieval.conftest import policy_md

ROLES = ("clinician", "biller", "compliance", "admin")
NOTE = "S: Client reports panic attacks 3x/week. A: F41.0 Panic disorder. P: Next session in one week."
TRANSCRIPT = "Therapist: How was the week?\nClient: I had 3 panic attacks."

# (method, path, request kwargs, roles allowed)
ENDPOINTS: list[tuple[str, str, dict[str, Any], set[str]]] = [
    ("POST", "/v1/deidentify", {"json": {"text": "Call Dana at 555-201-3344."}}, {"clinician", "biller", "compliance", "admin"}),
    ("POST", "/v1/notes/check", {"json": {"note": NOTE, "cpt": "90834"}}, {"clinician", "biller", "admin"}),
    ("POST", "/v1/notes/draft", {"json": {"transcript": TRANSCRIPT}}, {"clinician"}),
    ("POST", "/v1/appeals/classify", {"files": {"file": ("d.txt", DENIAL, "text/plain")}}, {"biller"}),
    ("POST", "/v1/policies", {"files": {"file": ("p.md", policy_md(), "text/markdown")}}, {"admin"}),
    ("GET", "/v1/policies", {}, set(ROLES)),
    ("GET", "/v1/policies/search", {"params": {"q": "appeal deadline"}}, set(ROLES)),
    ("POST", "/v1/cases/notes", {"json": {"transcript": TRANSCRIPT}}, {"clinician"}),
    ("GET", "/v1/reviews", {}, set(ROLES)),
    ("GET", "/v1/tasks", {}, set(ROLES)),
    ("GET", "/v1/audit/verify", {}, {"compliance", "admin"}),
    ("GET", "/v1/audit/events", {}, {"compliance", "admin"}),
]


@pytest.fixture(scope="module")
def client_and_tokens(tmp_path_factory: pytest.TempPathFactory, corpus_store: PolicyStore) -> Any:
    settings = Settings(data_dir=tmp_path_factory.mktemp("roles"), env="test", auth="required")
    with TestClient(create_app(settings)) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        runtime.__dict__["policy_store"] = corpus_store
        users = UserStore(runtime.engine)
        tokens = {role: {"Authorization": f"Bearer {users.issue_token(users.create_user(role, role, 't1').id)}"} for role in ROLES}
        yield client, tokens


@pytest.mark.parametrize(("method", "path", "kwargs", "allowed"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS])
def test_endpoint_role_matrix(client_and_tokens: Any, method: str, path: str, kwargs: dict[str, Any], allowed: set[str]) -> None:
    client, tokens = client_and_tokens
    assert client.request(method, path, **kwargs).status_code == 401
    for role in ROLES:
        status = client.request(method, path, headers=tokens[role], **kwargs).status_code
        if role in allowed:
            assert status not in (401, 403), (role, status)
            assert status < 500, (role, status)
        else:
            assert status == 403, (role, status)


def test_health_is_public(client_and_tokens: Any) -> None:
    client, _ = client_and_tokens
    assert client.get("/healthz").status_code == 200

