"""From a fresh start, over HTTP with tokens: note case → review → approve → signed note; appeal case; roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.auth.users import UserStore
from assistant.settings import Settings
from retrieval.policy_store import PolicyStore
from tests.appeals.test_draft import DENIAL, NOTE
from tests.workflows.test_note_case import TRANSCRIPT

CORPUS = Path(__file__).resolve().parents[2] / "retrieval" / "corpus"


@pytest.fixture
def store(corpus_store: PolicyStore) -> PolicyStore:
    return corpus_store


def test_note_and_appeal_cases_with_roles(tmp_path: Path, store: PolicyStore) -> None:
    settings = Settings(data_dir=tmp_path, env="test", auth="required")
    with TestClient(create_app(settings)) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        runtime.__dict__["policy_store"] = store
        users = UserStore(runtime.engine)
        tokens = {}
        for name, role, tenant in [("clin", "clinician", "t1"), ("other", "clinician", "t1"), ("bill", "biller", "t1"),
                                   ("comp", "compliance", "t1"), ("far", "clinician", "t2")]:
            user = users.create_user(name, role, tenant)
            tokens[name] = {"Authorization": f"Bearer {users.issue_token(user.id)}"}

        assert client.post("/v1/cases/notes", json={"transcript": TRANSCRIPT}).status_code == 401
        created = client.post("/v1/cases/notes", json={"transcript": TRANSCRIPT, "cpt": "90834", "minutes": 45},
                              headers=tokens["clin"])
        assert created.status_code == 201, created.text
        case = created.json()
        assert case["pending"]["role"] == "clinician" and "Walmart" not in case["pending"]["text"]
        queue = client.get("/v1/reviews", headers=tokens["clin"]).json()
        assert [c["case_id"] for c in queue] == [case["case_id"]]
        assert client.get("/v1/reviews", headers=tokens["other"]).json() == []

        approve = {"action": "approve"}
        assert client.post(f"/v1/cases/{case['case_id']}/decision", json=approve, headers=tokens["bill"]).status_code == 403
        assert client.post(f"/v1/cases/{case['case_id']}/decision", json=approve, headers=tokens["other"]).status_code == 403
        assert client.get(f"/v1/cases/{case['case_id']}", headers=tokens["far"]).status_code == 404  # other practice
        bad = client.post(f"/v1/cases/{case['case_id']}/decision", json={"action": "reject"}, headers=tokens["clin"])
        assert bad.status_code == 422 and "reason" in bad.json()["error"]["message"]
        done = client.post(f"/v1/cases/{case['case_id']}/decision", json=approve, headers=tokens["clin"])
        assert done.status_code == 200 and done.json()["status"] == "signed"
        note = client.get(f"/v1/cases/{case['case_id']}/note", headers=tokens["clin"])
        assert note.status_code == 200 and "Walmart" in note.json()["text"]
        assert client.get(f"/v1/cases/{case['case_id']}/note", headers=tokens["comp"]).status_code == 403

        appeal = client.post("/v1/cases/appeals", files=[("file", ("denial.txt", DENIAL, "text/plain")),
                                                         ("notes", ("note-0304.txt", NOTE.encode(), "text/plain"))],
                             headers=tokens["bill"])
        assert appeal.status_code == 201, appeal.text
        appeal_id = appeal.json()["case_id"]
        assert appeal.json()["pending"]["role"] == "biller"
        assert client.post(f"/v1/cases/{appeal_id}/decision", json=approve, headers=tokens["clin"]).status_code == 403
        sent = client.post(f"/v1/cases/{appeal_id}/decision", json=approve, headers=tokens["bill"])
        assert sent.status_code == 200 and sent.json()["status"] == "submitted"

        assert client.get("/v1/audit/verify", headers=tokens["bill"]).status_code == 403
        verified = client.get("/v1/audit/verify", headers=tokens["comp"])
        assert verified.status_code == 200 and verified.json()["ok"] is True
        actions = [e["action"] for e in client.get("/v1/audit/events", headers=tokens["comp"]).json()["events"]]
        assert actions.count("case.create") == 2 and "review.approve" in actions and "read.identified" in actions
