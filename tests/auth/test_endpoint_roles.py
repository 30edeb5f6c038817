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

AUTHORIZATION = {"patient_ref": "EP-7", "payer": "lakeshore-health", "auth_ref": "A-1", "visits_authorized": 12,
                 "start": "2025-01-06", "end": "2025-04-06", "review_date": "2025-03-20",
                 "care_team": [{"user_id": "clinician", "role": "therapist"}]}

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
    ("GET", "/v1/audit/export", {"params": {"format": "csv"}}, {"compliance", "admin"}),
    ("POST", "/v1/appeals/draft", {"files": {"file": ("d.txt", DENIAL, "text/plain")}}, {"biller"}),
    ("POST", "/v1/cases/appeals", {"files": {"file": ("d.txt", DENIAL, "text/plain")}}, {"biller"}),
    ("GET", "/v1/users", {}, {"admin"}),
    ("POST", "/v1/users", {"json": {"name": "New Person", "role": "clinician"}}, {"admin"}),
    ("PATCH", "/v1/users/{other_user}", {"json": {"active": True}}, {"admin"}),
    ("POST", "/v1/users/{other_user}/tokens", {}, {"admin"}),
    ("GET", "/v1/authorizations", {}, set(ROLES)),
    ("POST", "/v1/authorizations", {"json": AUTHORIZATION}, {"biller", "admin"}),
    ("POST", "/v1/authorizations/{authorization}/renew", {}, {"biller", "admin"}),
    ("POST", "/v1/authorizations/run-daily", {"params": {"date": "2025-03-15"}}, {"biller", "admin"}),
    ("GET", "/v1/me/brief", {"params": {"date": "2025-03-15"}}, set(ROLES)),
    ("GET", "/v1/me/alerts", {}, set(ROLES)),
    # the clinician's own note case, waiting at the clinician's gate
    ("GET", "/v1/cases/{note_case}", {}, {"clinician", "compliance", "admin"}),
    ("GET", "/v1/cases/{note_case}/note", {}, {"clinician", "admin"}),  # not signed yet: 404 for them
    ("POST", "/v1/cases/{note_case}/decision", {"json": {"action": "reject"}}, {"clinician"}),  # 422: no reason
    ("POST", "/v1/cases/{note_case}/break-glass", {"json": {"reason": "subpoena 2026-114, counsel request"}},
     {"compliance"}),
    # the biller's appeal case, waiting at the biller's gate
    ("GET", "/v1/cases/{appeal_case}", {}, {"biller", "compliance", "admin"}),
    ("POST", "/v1/cases/{appeal_case}/decision", {"json": {"action": "reject"}}, {"biller"}),  # 422: no reason
]
PUBLIC = {("GET", "/healthz"), ("GET", "/readyz")}


@pytest.fixture(scope="module")
def client_and_tokens(tmp_path_factory: pytest.TempPathFactory, corpus_store: PolicyStore) -> Any:
    settings = Settings(data_dir=tmp_path_factory.mktemp("roles"), env="test", auth="required")
    with TestClient(create_app(settings)) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        runtime.__dict__["policy_store"] = corpus_store
        users = UserStore(runtime.engine)
        tokens = {role: {"Authorization": f"Bearer {users.issue_token(users.create_user(role, role, 't1').id)}"} for role in ROLES}
        ids = {"other_user": users.create_user("Other", "clinician", "t1").id}
        made = client.post("/v1/authorizations", json=AUTHORIZATION, headers=tokens["biller"])
        ids["authorization"] = made.json()["id"]
        made = client.post("/v1/cases/notes", json={"transcript": TRANSCRIPT}, headers=tokens["clinician"])
        ids["note_case"] = made.json()["case_id"]
        made = client.post("/v1/cases/appeals", files={"file": ("d.txt", DENIAL, "text/plain")}, headers=tokens["biller"])
        ids["appeal_case"] = made.json()["case_id"]
        yield client, tokens, ids


@pytest.mark.parametrize(("method", "path", "kwargs", "allowed"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS])
def test_endpoint_role_matrix(client_and_tokens: Any, method: str, path: str, kwargs: dict[str, Any], allowed: set[str]) -> None:
    client, tokens, ids = client_and_tokens
    path = path.format(**ids)
    assert client.request(method, path, **kwargs).status_code == 401
    for role in ROLES:
        status = client.request(method, path, headers=tokens[role], **kwargs).status_code
        if role in allowed:
            assert status not in (401, 403), (role, status)
            assert status < 500, (role, status)
        else:
            assert status == 403, (role, status)


def test_health_is_public(client_and_tokens: Any) -> None:
    client, _, _ = client_and_tokens
    assert client.get("/healthz").status_code == 200


def test_the_table_covers_every_endpoint_of_the_api(client_and_tokens: Any) -> None:
    client, _, _ = client_and_tokens
    spec = client.get("/openapi.json").json()
    served = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    aliases = {"{note_case}": "{case_id}", "{appeal_case}": "{case_id}", "{other_user}": "{user_id}",
               "{authorization}": "{authorization_id}"}
    tested = set(PUBLIC)
    for method, path, _, _ in ENDPOINTS:
        for alias, name in aliases.items():
            path = path.replace(alias, name)
        tested.add((method, path))
    assert served - tested == set()


def test_other_practice_sees_nothing_of_this_one(client_and_tokens: Any) -> None:
    client, _, ids = client_and_tokens
    runtime = client.app.state.runtime
    users = UserStore(runtime.engine)
    other = {r: {"Authorization": f"Bearer {users.issue_token(users.create_user(r, r, 't2').id)}"} for r in ROLES}
    hidden = (403, 404)  # another practice's case is refused or looks absent, never shown
    assert client.get(f"/v1/cases/{ids['note_case']}", headers=other["admin"]).status_code in hidden
    assert client.get(f"/v1/cases/{ids['appeal_case']}", headers=other["biller"]).status_code in hidden
    assert client.get("/v1/reviews", headers=other["clinician"]).json() == []
    assert client.post(f"/v1/cases/{ids['note_case']}/break-glass", json={"reason": "audit of another practice"},
                       headers=other["compliance"]).status_code in hidden
    events = client.get("/v1/audit/events", headers=other["compliance"]).json()["events"]
    assert all(e["tenant"] == "t2" for e in events)
    assert client.patch(f"/v1/users/{ids['other_user']}", json={"active": False}, headers=other["admin"]).status_code == 404


def test_break_glass_is_audited_with_its_reason_and_shows_identified_text(client_and_tokens: Any) -> None:
    client, tokens, _ = client_and_tokens
    named = "Therapist: How was the week, Dana?\nClient: I had 3 panic attacks at Walmart."
    case = client.post("/v1/cases/notes", json={"transcript": named}, headers=tokens["clinician"]).json()["case_id"]
    short = client.post(f"/v1/cases/{case}/break-glass", json={"reason": "why"}, headers=tokens["compliance"])
    assert short.status_code == 422 and "reason" in short.text
    plain = client.get(f"/v1/cases/{case}", headers=tokens["compliance"]).json()
    assert "Walmart" not in plain["pending"]["text"] and "[" in plain["pending"]["text"]  # pseudonymized
    opened = client.post(f"/v1/cases/{case}/break-glass", json={"reason": "records request from the client's counsel"},
                         headers=tokens["compliance"])
    assert opened.status_code == 200 and opened.json()["what"] == "draft" and "Walmart" in opened.json()["text"]
    events = client.get("/v1/audit/events", params={"case_id": case}, headers=tokens["compliance"]).json()["events"]
    glass = [e for e in events if e["action"] == "read.break_glass"]
    assert glass and glass[-1]["details"]["reason"] == "records request from the client's counsel"
    assert glass[-1]["role"] == "compliance"

