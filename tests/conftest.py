"""Shared fixtures: no real network, temp data dirs, fresh settings per test."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import Settings, get_settings

REPO = Path(__file__).resolve().parent.parent
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    if not isinstance(address, tuple) or not address:
        return False
    host = str(address[0])
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OutboundNetworkError(RuntimeError):
    """A test tried to reach a non-loopback address."""


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_local(address):
        raise OutboundNetworkError(f"test tried to reach the network: {address!r}")
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_local(address):
        raise OutboundNetworkError(f"test tried to reach the network: {address!r}")
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def no_outbound_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection to a non-loopback address."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture(autouse=True)
def clean_parity_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Each test starts with no PARITY_* variables (but the external data folder) and its own data dir."""
    for key in list(os.environ):
        if key.startswith("PARITY_") and key != "PARITY_SHARED_DATA":  # where the external eval data is, not a setting
            monkeypatch.delenv(key)
    monkeypatch.setenv("PARITY_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PARITY_ENV", "test")
    # no de-identification helper process in tests (tests/guardrails/test_parallel.py starts its own)
    monkeypatch.setenv("PARITY_DEID_WORKERS", "0")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Offline settings with a temp data dir."""
    return Settings(env="test", data_dir=tmp_path / "var", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def fake_llm_server() -> Iterator[str]:
    """A real OpenAI-compatible HTTP server process on loopback; yields its ``/v1`` base URL."""
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "fake_llm_server.py"), "--port", "0",
         "--slow-seconds", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("PORT "), line
    port = int(line.split()[1])
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def corpus_store() -> Any:
    """The sample payer policies in Qdrant ``:memory:`` with the fast hash embedder (built once)."""
    from qdrant_client import QdrantClient

    from retrieval.ingest import ingest_paths
    from retrieval.policy_store import PolicyStore
    from tests.retrieval.conftest import HashEmbedder

    store = PolicyStore(QdrantClient(":memory:"), HashEmbedder())
    store.ensure()
    ingest_paths(store, [Path(__file__).resolve().parents[1] / "retrieval" / "corpus"])
    return store


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server for the whole run (a private cluster); skips when none can be had here."""
    from tests.postgres import private_cluster

    with private_cluster() as url:
        if url is None:
            if os.environ.get("POSTGRES_TESTS") == "required":
                pytest.fail("POSTGRES_TESTS=required but no PostgreSQL server binaries were found")
            pytest.skip("no PostgreSQL here (install Debian's postgresql or set POSTGRES_TEST_URL)")
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A new empty database on the test server, as a SQLAlchemy URL."""
    from tests.postgres import fresh_database

    return fresh_database(postgres_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'parity.db').as_posix()}"
    return str(request.getfixturevalue("postgres_url"))
