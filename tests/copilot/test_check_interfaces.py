"""The co-pilot contract: ``POST /v1/notes/check`` and ``parity check --json``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.settings import Settings

ITEM_FIELDS = {"element", "label", "status", "evidence", "citations", "suggestion"}
TOP_FIELDS = {"payer", "cpt", "rule_pack", "items", "code_checks", "summary", "engine", "elapsed_ms"}
NOTE = (
    "SOAP note\n"
    "S: Maria Gonzalez reports panic attacks 4 times this week and missed two shifts at work.\n"
    "O: Denies SI/HI; safety plan reviewed.\n"
    "A: F41.0 Panic disorder. Used interoceptive exposure; she rated fear 8/10 falling to 4/10.\n"
    "P: Next session in one week.\n"
    "Session 10:00-10:48 (48 minutes), individual, client only.\n"
)


def test_check_over_http_maps_evidence_to_the_text_sent(settings: Settings) -> None:
    body = {"note": NOTE, "cpt": "90837", "payer": "lakeshore-health", "date": "2025-03-03", "pos": "11"}
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/notes/check", json=body)
    assert response.status_code == 200, response.text
    data = response.json()
    assert set(data) >= TOP_FIELDS
    assert data["rule_pack"] == {"id": "lakeshore-health", "version": "2025.1"}
    items = {i["element"]: i for i in data["items"]}
    assert all(set(i) >= ITEM_FIELDS for i in data["items"])
    symptoms = items["symptoms_severity"]
    assert symptoms["status"] == "met"
    ev = symptoms["evidence"][0]
    assert NOTE[ev["start"]:ev["end"]] == ev["quote"]
    assert "Maria Gonzalez" in ev["quote"]  # offsets refer to the user's text, not the placeholder text
    assert items["goals" if "goals" in items else "treatment_plan_goals"]["status"] == "missing"
    assert items["treatment_plan_goals"]["suggestion"]
    assert items["extended_session_justification"]["status"] == "missing"
    time_band = next(c for c in data["code_checks"] if c["check"] == "time_band")
    assert time_band["status"] == "fail" and time_band["suggested_code"] == "90834"
    assert data["summary"]["met"] + data["summary"]["partial"] + data["summary"]["missing"] == len(data["items"])
    assert data["engine"] == "offline"


def test_bad_check_requests_name_the_field(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        unknown_payer = client.post("/v1/notes/check", json={"note": NOTE, "cpt": "90834", "payer": "acme"})
        assert unknown_payer.status_code == 422
        assert unknown_payer.json()["error"]["field"] == "payer"
        assert "lakeshore-health" in unknown_payer.json()["error"]["message"]
        unknown_code = client.post("/v1/notes/check", json={"note": NOTE, "cpt": "90999"})
        assert unknown_code.status_code == 422 and unknown_code.json()["error"]["field"] == "cpt"
        assert "90837" in unknown_code.json()["error"]["message"]
        empty = client.post("/v1/notes/check", json={"note": "  ", "cpt": "90834"})
        assert empty.status_code == 422 and empty.json()["error"]["field"] == "note"
        bad_addon = client.post("/v1/notes/check", json={"note": NOTE, "cpt": "90834", "addons": ["12345"]})
        assert bad_addon.status_code == 422 and bad_addon.json()["error"]["field"] == "addons"


def test_cli_check_json_and_errors(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    transcript = tmp_path / "t.txt"
    transcript.write_text("Therapist: What goal would you like?\nClient: I want to get back to my bus route at least 4 days a week.\n")
    env = {**os.environ, "PARITY_DATA_DIR": str(tmp_path / "var")}
    cli = [sys.executable, "-m", "assistant.cli"]
    ok = subprocess.run(
        [*cli, "check", str(note), "--cpt", "90834", "--minutes", "48", "--date", "2025-03-03", "--modality", "individual",
         "--transcript", str(transcript), "--json"],
        capture_output=True, text=True, env=env, timeout=180,
    )
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["rule_pack"]["id"] == "baseline" and data["payer"] is None
    goals = next(i for i in data["items"] if i["element"] == "treatment_plan_goals")
    assert goals["status"] == "missing" and "bus route" in goals["suggestion"] and 2 in goals["suggestion_sources"]
    bad = subprocess.run([*cli, "check", str(note), "--cpt", "90834", "--payer", "acme", "--json"],
                         capture_output=True, text=True, env=env, timeout=180)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "payer" in bad.stderr
