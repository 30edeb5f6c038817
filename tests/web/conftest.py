"""Fixtures for the web pages: an app with users of every role, and a helper that signs in through the form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.auth.users import UserStore
from assistant.settings import Settings
from retrieval.policy_store import PolicyStore

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token in a page's first form."""
    match = CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


@dataclass
class Web:
    """A test client on a fresh app and the API tokens of its users (by name)."""

    client: TestClient
    tokens: dict[str, str]

    def login(self, name: str) -> str:
        """Sign in as ``name`` through the login form; returns the new session's CSRF token."""
        page = self.client.get("/ui/login")
        response = self.client.post("/ui/login", data={"token": self.tokens[name], "csrf_token": csrf_of(page.text)})
        assert response.status_code == 200, response.text[:500]
        return csrf_of(response.text)


@pytest.fixture
def web(tmp_path: Path, corpus_store: PolicyStore) -> Iterator[Web]:
    """The app with auth required, the sample policies, and a clinician, biller and compliance officer."""
    settings = Settings(data_dir=tmp_path / "var", env="test", auth="required", load_sample_policies=False,
                        resume_cases_on_start=False)
    with TestClient(create_app(settings)) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        runtime.__dict__["policy_store"] = corpus_store
        users = UserStore(runtime.engine)
        tokens = {}
        for name, role in [("clin", "clinician"), ("bill", "biller"), ("comp", "compliance")]:
            user = users.create_user(name, role, "t1")
            tokens[name] = users.issue_token(user.id)
        yield Web(client, tokens)
