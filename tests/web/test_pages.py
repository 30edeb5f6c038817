"""Web pages through the ASGI app (fast): CSRF, login, role separation, the three flows, no identified text for compliance."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.settings import Settings
from tests.appeals.test_draft import DENIAL, NOTE
from tests.web.conftest import Web, csrf_of
from tests.workflows.test_note_case import TRANSCRIPT

IDENTIFIED_ONLY = ("Walmart", "Dana", "Reyes", "Whitfield")
"""Names in the transcript and denial that only identified text contains."""


def _case_id(url: str) -> str:
    match = re.search(r"/cases/([0-9a-f-]{36})", url)
    assert match, url
    return match.group(1)


def test_signed_out_pages_redirect_to_login_and_root_follows_the_role(web: Web) -> None:
    client = web.client
    for page in ("/", "/ui/clinician", "/ui/biller", "/ui/compliance"):
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/ui/login"
    web.login("bill")
    assert client.get("/", follow_redirects=False).headers["location"] == "/ui/biller"


def test_when_token_is_wrong_then_login_fails_with_401(web: Web) -> None:
    page = web.client.get("/ui/login")
    response = web.client.post("/ui/login", data={"token": "not-a-token", "csrf_token": csrf_of(page.text)})
    assert response.status_code == 401 and "not valid" in response.text
    assert web.client.get("/ui/clinician", follow_redirects=False).status_code == 303


def test_when_post_has_no_csrf_token_then_403(web: Web) -> None:
    web.client.get("/ui/login")
    assert web.client.post("/ui/login", data={"token": web.tokens["clin"]}).status_code == 403
    csrf = web.login("clin")
    assert web.client.post("/ui/clinician/notes", data={"transcript": TRANSCRIPT}).status_code == 403
    forged = web.client.post("/ui/clinician/notes", data={"transcript": TRANSCRIPT, "csrf_token": csrf + "x"})
    assert forged.status_code == 403
    assert web.client.post("/ui/logout", data={}).status_code == 403


def test_role_pages_refuse_other_roles(web: Web) -> None:
    web.login("clin")
    assert web.client.get("/ui/biller").status_code == 403
    assert web.client.get("/ui/compliance").status_code == 403
    web.login("comp")
    assert web.client.get("/ui/clinician").status_code == 403
    assert web.client.get("/ui/biller/cases/00000000-0000-0000-0000-000000000000").status_code == 403


def test_clinician_biller_and_compliance_flows(web: Web) -> None:
    client = web.client
    csrf = web.login("clin")
    created = client.post("/ui/clinician/notes", data={"transcript": TRANSCRIPT, "format": "SOAP", "cpt": "90834",
                                                       "payer": "lakeshore-health", "minutes": "45", "csrf_token": csrf})
    assert created.status_code == 200, created.text[:500]
    note_id = _case_id(str(created.url))
    page = created.text
    assert 'data-support="' in page and 'id="line-1"' in page and 'data-status="missing"' in page
    assert "Walmart" not in page  # the draft and transcript are pseudonymized
    text = re.search(r'<textarea id="note"[^>]*>(.*?)</textarea>', page, re.S)
    assert text
    draft = text.group(1).replace("&#39;", "'").replace("&amp;", "&")
    added = draft + "\nSession time: 10:00 to 10:45 (45 minutes face to face)."
    partial = client.post(f"/ui/clinician/cases/{note_id}/check", data={"note": added}, headers={"X-CSRF-Token": csrf})
    assert partial.status_code == 200
    assert re.search(r'data-element="time_documentation" data-status="met"', partial.text)
    signed = client.post(f"/ui/clinician/cases/{note_id}/sign", data={"note": added, "csrf_token": csrf})
    assert signed.status_code == 200 and "Signed note" in signed.text
    assert "Walmart" in signed.text and "45 minutes face to face" in signed.text  # the clinician sees the identified note

    csrf = web.login("bill")
    assert client.get(f"/ui/clinician/cases/{note_id}").status_code == 403
    uploaded = client.post("/ui/biller/appeals", data={"csrf_token": csrf},
                           files=[("file", ("denial.txt", DENIAL, "text/plain")),
                                  ("notes", ("note-0304.txt", NOTE.encode(), "text/plain"))])
    assert uploaded.status_code == 200, uploaded.text[:500]
    appeal_id = _case_id(str(uploaded.url))
    assert 'id="criteria"' in uploaded.text and "Unmet" in uploaded.text
    queue = client.get("/ui/biller?root_cause=medical_necessity")
    assert appeal_id in queue.text and appeal_id not in client.get("/ui/biller?root_cause=coding").text
    approved = client.post(f"/ui/biller/cases/{appeal_id}/decision", data={"action": "approve", "csrf_token": csrf})
    assert approved.status_code == 200 and "Download PDF" in approved.text, approved.text[:2000]
    pdf = client.get(f"/ui/biller/cases/{appeal_id}/appeal.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    web.login("comp")
    home = client.get("/ui/compliance")
    assert "Chain verified" in home.text and note_id in home.text and appeal_id in home.text
    pages = [home.text]
    for case_id in (note_id, appeal_id):
        timeline = client.get(f"/ui/compliance/cases/{case_id}")
        assert timeline.status_code == 200 and "case.create" in timeline.text
        pages.append(timeline.text)
    assert "Draft vs final" in pages[1]  # the clinician's edit
    dashboard = client.get("/ui/compliance/dashboard")
    assert dashboard.status_code == 200 and dashboard.text.count("<svg") >= 4
    pages.append(dashboard.text)
    exported = client.get("/ui/compliance/export.csv")
    assert exported.status_code == 200 and "case.create" in exported.text
    pages.append(exported.text)
    for html in pages:
        for name in IDENTIFIED_ONLY:
            assert name not in html


def test_when_auth_is_off_the_login_page_offers_a_role_picker(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var", env="test", auth="off", load_sample_policies=False)
    with TestClient(create_app(settings)) as client:
        page = client.get("/ui/login")
        assert 'name="role" value="biller"' in page.text
        response = client.post("/ui/login", data={"role": "biller", "csrf_token": csrf_of(page.text)})
        assert response.status_code == 200 and str(response.url).endswith("/ui/biller")
