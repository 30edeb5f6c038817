"""``parity auth add|note|brief|run-daily`` as real processes, and ``GET /v1/me/brief`` for the caller."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.authorizations.test_guidance import MED_NOTE

pytestmark = pytest.mark.slow
AUTH = {"patient_ref": "EP-2001", "payer": "lakeshore-health", "auth_ref": "LK-9", "visits_authorized": 10,
        "visits_used": 3, "start": "2025-01-06", "end": "2025-04-06", "review_date": "2025-03-20",
        "care_team": [{"user_id": "ther-1", "role": "therapist"}, {"user_id": "pres-1", "role": "prescriber"}]}


def parity(tmp_path: Path, *args: str, stdin: str | None = None) -> Any:
    env = {**os.environ, "PARITY_DATA_DIR": str(tmp_path), "PARITY_AUTH": "off"}
    done = subprocess.run([sys.executable, "-m", "assistant.cli", *args, "--json"], input=stdin, capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_cli_brief_note_and_daily_run(tmp_path: Path) -> None:
    auth = parity(tmp_path, "auth", "add", "-", stdin=json.dumps(AUTH))
    brief = parity(tmp_path, "auth", "brief", "--clinician", "pres-1", "--date", "2025-03-14")
    assert [i["item_id"] for i in brief["entries"][0]["items"]] == ["medication_adherence", "medication_side_effects"]
    note = tmp_path / "med.txt"
    note.write_text(MED_NOTE, encoding="utf-8")
    met = parity(tmp_path, "auth", "note", auth["id"], str(note), "--author", "pres-1", "--date", "2025-03-13")
    assert set(met["met"]) == {"medication_adherence", "medication_side_effects"}
    assert parity(tmp_path, "auth", "brief", "--clinician", "pres-1", "--date", "2025-03-14")["entries"] == []
    run = parity(tmp_path, "auth", "run-daily", "--date", "2025-03-15")
    assert [(a["recipient"], a["level"]) for a in run["alerts"]] == [("ther-1", "notice")]
    assert parity(tmp_path, "auth", "run-daily", "--date", "2025-03-15")["alerts"] == []


def test_bad_date_and_bad_file_fail_with_a_clear_message(tmp_path: Path) -> None:
    env = {**os.environ, "PARITY_DATA_DIR": str(tmp_path), "PARITY_AUTH": "off"}
    bad = subprocess.run([sys.executable, "-m", "assistant.cli", "auth", "run-daily", "--date", "15/03/2025", "--json"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode == 2 and "--date" in bad.stderr and "Traceback" not in bad.stderr
    broken = subprocess.run([sys.executable, "-m", "assistant.cli", "auth", "add", "-", "--json"], input='{"payer": 1}',
                            capture_output=True, text=True, env=env, timeout=300)
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
