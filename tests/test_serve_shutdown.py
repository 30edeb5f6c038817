"""``parity serve`` stopped with SIGTERM (as Kubernetes and compose stop it) shuts down cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_when_serve_gets_sigterm_then_it_exits_zero_with_its_last_log_lines_and_no_helper(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "PARITY_DATA_DIR": str(tmp_path / "var"), "PARITY_AUTH": "off",
           "PARITY_LOAD_SAMPLE_POLICIES": "false", "PARITY_DEID_WORKERS": "1"}
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # loopback only
                    break
            except OSError:
                assert process.poll() is None, log.read_text()[-2000:]
                time.sleep(0.3)
        helpers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False).stdout.split()
        assert helpers, "parity serve started no helper process"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, log.read_text()[-2000:]
    finally:
        if process.poll() is None:
            process.kill()
    messages = [json.loads(line).get("msg", "") for line in log.read_text().splitlines() if line.startswith("{")]
    assert any("Finished server process" in m for m in messages[-3:]), messages[-5:]
    time.sleep(1)
    for pid in helpers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
