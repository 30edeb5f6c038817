"""A real ``parity serve`` process for browser tests: temp data dir, auth required, users made beforehand."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from assistant.auth.users import UserStore
from assistant.database import make_engine

REPO = Path(__file__).resolve().parents[2]
POLICY = REPO / "retrieval" / "corpus" / "lakeshore-health__BH-OP-12__2025.1.md"
"""The one payer policy the sample denial cites (the whole corpus takes minutes to embed)."""


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running server, its address, data dir and users' API tokens (by name)."""

    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    tokens: dict[str, str] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the server process (it was started by this module)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARITY_")}
    return env | {"PARITY_DATA_DIR": str(data_dir), "PARITY_AUTH": "required", "PARITY_ENV": "test",
                  "PARITY_LOAD_SAMPLE_POLICIES": "false", "HF_HUB_OFFLINE": "1", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}


def prepare(data_dir: Path) -> dict[str, str]:
    """Create the users (tokens by name) and load the one policy the sample denial needs, before the server starts."""
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{(data_dir / 'parity.db').as_posix()}")
    users = UserStore(engine)
    tokens = {}
    for name, role in [("Dr Lee", "clinician"), ("Sam Biller", "biller"), ("Casey Audit", "compliance")]:
        user = users.create_user(name, role, "practice-1")
        tokens[role] = users.issue_token(user.id)
    engine.dispose()
    script = ("from pathlib import Path; from assistant.runtime import Runtime; from assistant.settings import Settings;"
              "from retrieval.ingest import ingest_paths; import sys;"
              "r = Runtime(Settings()); ingest_paths(r.policy_store, [Path(sys.argv[1])]); r.close()")
    subprocess.run([sys.executable, "-c", script, str(POLICY)], env=_env(data_dir), cwd=REPO, check=True,
                   capture_output=True, timeout=180)
    return tokens


def start(data_dir: Path, log: Path, timeout_s: float = 120) -> Server:
    """Prepare the data dir, start ``python -m assistant.cli serve`` and wait until ``/healthz`` answers."""
    tokens = prepare(data_dir)
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                   env=_env(data_dir), cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", data_dir, process, tokens)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2):  # loopback only
                return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"server did not answer within {timeout_s} s: {log.read_text()[-2000:]}")
