"""Policy API and CLI contracts: upload, list, search, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.settings import Settings
from tests.retrieval.conftest import policy_md

RESULT_FIELDS = {
    "chunk_id", "policy_id", "payer", "title", "version", "section", "page", "text", "score",
    "effective_from", "effective_to",
}


def test_upload_list_search_over_http(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        up = client.post("/v1/policies", files={"file": ("p.md", policy_md(), "text/markdown")})
        assert up.status_code == 201, up.text
        assert up.json()["status"] == "added" and up.json()["chunks"] == 3
        listed = client.get("/v1/policies").json()["policies"]
        assert [p["policy_id"] for p in listed] == ["BH-OP-12"]
        found = client.get(
            "/v1/policies/search",
            params={"q": "how long to file an appeal", "payer": "lakeshore-health", "date": "2025-02-01"},
        )
        assert found.status_code == 200
        results = found.json()["results"]
        assert results and set(results[0]) >= RESULT_FIELDS
        assert results[0]["section"] == "2.1"
        assert client.get("/v1/policies/search", params={"q": "x", "payer": "nobody"}).json() == {"results": []}


def test_bad_upload_and_bad_query_are_4xx(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        bad = client.post("/v1/policies", files={"file": ("p.md", policy_md(payer=""), "text/markdown")})
        assert bad.status_code == 422 and "payer" in bad.json()["error"]["message"]
        assert client.get("/v1/policies/search", params={"q": "x", "date": "not-a-date"}).status_code == 422
        assert client.get("/v1/policies/search", params={"q": "x", "cpt": "abc"}).status_code == 422
        assert client.get("/v1/policies/search").status_code == 422
        assert client.get("/v1/policies").json() == {"policies": []}


def test_cli_ingest_and_search_print_one_json_document(tmp_path: Path) -> None:
    doc = tmp_path / "p.md"
    doc.write_bytes(policy_md())
    env = {**os.environ, "PARITY_DATA_DIR": str(tmp_path / "var")}
    cli = [sys.executable, "-m", "assistant.cli", "policies"]
    ingest = subprocess.run([*cli, "ingest", str(doc), "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout)["ingested"][0]["status"] == "added"
    search = subprocess.run(
        [*cli, "search", "extended session 53 minutes", "--cpt", "90837", "-k", "2", "--json"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert search.returncode == 0, search.stderr
    results = json.loads(search.stdout)["results"]
    assert len(results) == 2 and set(results[0]) >= RESULT_FIELDS and results[0]["section"] == "1.2"
    bad = subprocess.run([*cli, "search", "x", "--date", "2025-13-01", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and bad.stdout == "" and "--date" in bad.stderr
    missing = subprocess.run([*cli, "ingest", str(tmp_path / "nope.md"), "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert missing.returncode == 2 and "nope.md" in missing.stderr
