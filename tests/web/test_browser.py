"""The three workspaces in headless Chromium against a real ``parity serve`` (slow; screenshots of every screen).

Skipped when /usr/bin/chromium (or the ``playwright`` package) is missing, unless ``BROWSER_TESTS=required``.
No browser is downloaded: Playwright drives the system Chromium.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.appeals.test_draft import DENIAL, NOTE
from tests.web.server import REPO, Server, start
from tests.workflows.test_note_case import TRANSCRIPT

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "var" / "test-artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.slow


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install playwright; no browser download needed)"
    return None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module (the compliance flow audits the cases the other flows made)."""
    reason = _missing()
    if reason:
        if os.environ.get("BROWSER_TESTS") == "required":
            pytest.fail(f"BROWSER_TESTS=required but {reason}")
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("web")
    srv = start(root / "var", root / "server.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    """Headless system Chromium."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (its own cookies) with a laptop-sized window."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _login(page: Any, server: Server, role: str) -> None:
    page.goto(f"{server.url}/ui/login")
    page.fill("#token", server.tokens[role])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(f"/ui/{role}"))


def test_clinician_drafts_inserts_a_confirmed_suggestion_and_signs(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/")
    _shot(page, "01-login")
    _login(page, server, "clinician")
    page.fill("#transcript", TRANSCRIPT)
    page.fill("#payer", "lakeshore-health")
    page.fill("#minutes", "45")
    _shot(page, "02-clinician-home")
    page.get_by_role("button", name="Draft the note").click()
    page.wait_for_url(re.compile(r"/ui/clinician/cases/"))
    server.cases["note"] = page.url.rsplit("/", 1)[1]
    assert "Walmart" not in page.content()

    page.locator(".sentence").first.click()
    assert page.locator(".lines li.hl").count() >= 1
    item = page.locator('li.item[data-element="time_documentation"]')
    assert item.get_attribute("data-status") == "missing"
    insert = item.get_by_role("button", name="Insert into note")
    item.locator("[data-suggest-confirm]").check()
    assert insert.is_disabled()  # the blanks are not filled yet
    item.locator("[data-suggest-text]").fill("Session time: 10:00 to 10:45 (45 minutes face to face).")
    assert insert.is_enabled()
    _shot(page, "03-clinician-draft-red-item")
    insert.click()
    page.wait_for_selector('li.item[data-element="time_documentation"][data-status="met"]')
    assert "45 minutes face to face" in page.input_value("#note")
    _shot(page, "04-clinician-item-green")

    page.get_by_role("button", name="Approve and sign").click()
    page.wait_for_selector("#signed-note")
    signed = page.inner_text("#signed-note")
    assert "45 minutes face to face" in signed and "Walmart" in signed
    _shot(page, "05-clinician-signed-note")


def test_biller_uploads_a_denial_approves_and_downloads_the_pdf(page: Any, server: Server) -> None:
    _login(page, server, "biller")
    page.set_input_files("#file", files=[{"name": "denial.txt", "mimeType": "text/plain", "buffer": DENIAL}])
    page.set_input_files("#notes", files=[{"name": "note-0304.txt", "mimeType": "text/plain", "buffer": NOTE.encode()}])
    _shot(page, "06-biller-queue-empty")
    page.get_by_role("button", name="Classify and draft the appeal").click()
    page.wait_for_url(re.compile(r"/ui/biller/cases/"))
    server.cases["appeal"] = page.url.rsplit("/", 1)[1]
    assert page.locator("#criteria tbody tr").count() >= 3
    _shot(page, "07-biller-appeal")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_selector("#download-pdf")
    with page.expect_download() as download:
        page.click("#download-pdf")
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    download.value.save_as(str(SHOTS.parent / "appeal.pdf"))
    _shot(page, "08-biller-approved")
    page.goto(f"{server.url}/ui/biller")
    assert page.locator("#queue tbody tr").count() == 1
    _shot(page, "09-biller-queue")


def test_compliance_sees_both_timelines_and_a_verified_chain(page: Any, server: Server) -> None:
    if not {"note", "appeal"} <= server.cases.keys():
        pytest.skip("needs the cases of the clinician and biller flows (run the whole module)")
    _login(page, server, "compliance")
    assert "Chain verified" in page.inner_text("#chain-status")
    _shot(page, "10-compliance-home")
    for kind, case_id in server.cases.items():
        page.click(f'#cases a[href$="{case_id}"]')
        page.wait_for_selector("#timeline")
        text = page.inner_text("#timeline")
        assert "case.create" in text and "review.approve" in text
        assert "Walmart" not in page.content() and "Whitfield" not in page.content()
        _shot(page, f"11-compliance-timeline-{kind}")
        page.go_back()
    page.goto(f"{server.url}/ui/compliance/dashboard")
    assert page.locator(".charts svg").count() >= 4
    _shot(page, "12-compliance-dashboard")
