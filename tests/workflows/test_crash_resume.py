"""Kill the process (SIGKILL) after every node and at the gate; restart; each case finalizes exactly once.

Each step runs ``python -m assistant.cli case …`` as a real process on one data folder;
``PARITY_FAULT_KILL_AFTER=<node>`` makes the process kill itself right after that node.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from assistant.database import make_engine
from tests.workflows.test_note_case import TRANSCRIPT

pytestmark = pytest.mark.slow
NODES = ["deidentify_input", "retrieve_policy", "draft_note", "check_gaps"]


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every process of a test shares this database (SQLite file or PostgreSQL), checkpoints included."""
    monkeypatch.setenv("PARITY_DATABASE_URL", database_url)
    return database_url


def cli(data_dir: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PARITY_DATA_DIR": str(data_dir), "PARITY_AUTH": "off"}
    env.pop("PARITY_FAULT_KILL_AFTER", None)
    if fault:
        env["PARITY_FAULT_KILL_AFTER"] = fault
    return subprocess.run([sys.executable, "-m", "assistant.cli", "case", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def signed_count(case_id: str) -> int:
    engine = make_engine(os.environ["PARITY_DATABASE_URL"])
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM signed_notes WHERE case_id = :c"), {"c": case_id}).scalar()
    engine.dispose()
    return int(n or 0)


def as_json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("node", NODES)
def test_killed_after_a_node_the_case_resumes_and_signs_once(tmp_path: Path, db: str, node: str) -> None:
    transcript = tmp_path / "t.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    killed = cli(tmp_path, "note", str(transcript), "--cpt", "90834", "--minutes", "45", "--json", fault=node)
    assert killed.returncode == -9, killed.stderr  # died by SIGKILL right after the node
    resumed = as_json(cli(tmp_path, "resume", "--json"))["resumed"]
    assert len(resumed) == 1
    case_id = resumed[0]
    view = as_json(cli(tmp_path, "show", case_id, "--json"))
    assert view["status"] == "awaiting_review" and view["pending"]["role"] == "clinician"
    assert as_json(cli(tmp_path, "resume", "--json"))["resumed"] == []  # waiting for a person: nothing to do
    done = as_json(cli(tmp_path, "decide", case_id, "--action", "approve", "--json"))
    assert done["status"] == "signed"
    again = cli(tmp_path, "decide", case_id, "--action", "approve", "--json")
    assert again.returncode == 2 and "not waiting" in again.stderr
    assert signed_count(case_id) == 1


def test_killed_at_finalize_the_note_is_stored_exactly_once(tmp_path: Path, db: str) -> None:
    transcript = tmp_path / "t.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    case_id = as_json(cli(tmp_path, "note", str(transcript), "--json"))["case_id"]  # the process ends at the gate
    killed = cli(tmp_path, "decide", case_id, "--action", "approve", "--json", fault="finalize_note")
    assert killed.returncode == -9
    assert signed_count(case_id) == 1
    cli(tmp_path, "resume", "--json")
    view = as_json(cli(tmp_path, "show", case_id, "--json"))
    assert view["status"] == "signed" and view["signed"]
    assert signed_count(case_id) == 1


class Server:
    """``parity serve`` as a real process on a loopback port, over one data folder."""

    def __init__(self, data_dir: Path, fault: str | None = None) -> None:
        self.port = _free_port()
        env = {**os.environ, "PARITY_DATA_DIR": str(data_dir), "PARITY_AUTH": "off", "PARITY_LOAD_SAMPLE_POLICIES": "false"}
        env.pop("PARITY_FAULT_KILL_AFTER", None)
        if fault:
            env["PARITY_FAULT_KILL_AFTER"] = fault
        self.proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1",
                                      "--port", str(self.port)], env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise AssertionError("server did not come up")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(timeout=30) == -9


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_service_killed_mid_case_and_at_the_gate_resumes_and_signs_once(tmp_path: Path, db: str) -> None:
    first = Server(tmp_path, fault="draft_note")
    with pytest.raises(httpx.HTTPError):  # the process dies right after draft_note, mid-request
        httpx.post(f"{first.base}/v1/cases/notes", json={"transcript": TRANSCRIPT, "cpt": "90834", "minutes": 45},
                   timeout=120)
    assert first.proc.wait(timeout=30) == -9
    second = Server(tmp_path)  # on start it carries on the interrupted case up to the clinician's gate
    deadline, queue = time.monotonic() + 120, []
    while time.monotonic() < deadline and not queue:
        queue = httpx.get(f"{second.base}/v1/reviews", timeout=30).json()
        time.sleep(0.5)
    assert len(queue) == 1 and queue[0]["pending"]["role"] == "clinician"
    case_id = queue[0]["case_id"]
    second.kill()  # SIGKILL while the case waits for review
    third = Server(tmp_path)
    try:
        view = httpx.get(f"{third.base}/v1/cases/{case_id}", timeout=30).json()
        assert view["status"] == "awaiting_review" and view["pending"]["text"] == queue[0]["pending"]["text"]
        done = httpx.post(f"{third.base}/v1/cases/{case_id}/decision", json={"action": "approve"}, timeout=120)
        assert done.status_code == 200 and done.json()["status"] == "signed"
        again = httpx.post(f"{third.base}/v1/cases/{case_id}/decision", json={"action": "approve"}, timeout=120)
        assert again.status_code == 422
        assert httpx.get(f"{third.base}/v1/reviews", timeout=30).json() == []
    finally:
        third.kill()
    assert signed_count(case_id) == 1
