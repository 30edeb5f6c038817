"""Audit trail: hash chain, tamper detection, export, concurrency, CLI and HTTP."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import Engine, text

from assistant.api.routes import audit as audit_routes
from assistant.audit import GENESIS, READ_IDENTIFIED, AuditLog, diff, event_hash
from assistant.database import make_engine
from assistant.runtime import Runtime
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


def fill(log: AuditLog, n: int) -> None:
    for i in range(n):
        log.append(
            "dr-lee", "clinician", "note.draft", case_id=f"case-{i % 3}", tenant="acme",
            details={"i": i, "prompt": {"name": "scribe", "version": 2, "sha256": "ab" * 32},
                     "model": "offline", "chunks": [f"c{i}"], "text": "[PATIENT_1] é"},
        )


def sql(engine: Engine, statement: str, *params: object) -> None:
    """Tamper with the table directly (``?`` placeholders, whatever the database)."""
    for i in range(len(params)):
        statement = statement.replace("?", f":p{i}", 1)
    with engine.begin() as conn:
        conn.execute(text(statement), {f"p{i}": v for i, v in enumerate(params)})


def test_chain_verifies_after_many_appends(engine: Engine) -> None:
    log = AuditLog(engine)
    assert log.verify().model_dump() == {"ok": True, "events": 0, "first_bad": None, "reason": None, "head": None}
    fill(log, 120)
    result = log.verify()
    events = log.events()
    assert result.ok and result.events == 120 and result.first_bad is None
    assert [e.seq for e in events] == list(range(1, 121)) and result.head == events[-1].hash
    first = events[0]
    assert first.prev_hash == GENESIS and events[1].prev_hash == first.hash
    body = {k: getattr(first, k) for k in ("seq", "at", "actor", "role", "action", "case_id", "tenant", "details")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert first.hash == hashlib.sha256((GENESIS + canonical).encode()).hexdigest()
    assert dt.datetime.fromisoformat(first.at).tzinfo is not None


def test_altering_one_stored_event_names_it(engine: Engine) -> None:
    log = AuditLog(engine)
    fill(log, 12)
    sql(engine, "UPDATE audit_events SET details = ? WHERE seq = ?", json.dumps({"i": 999}), 7)
    result = log.verify()
    assert not result.ok and result.first_bad == 7 and result.events == 7 and "hash" in (result.reason or "")


def test_recomputed_hash_of_altered_event_breaks_the_next_link(engine: Engine) -> None:
    log = AuditLog(engine)
    fill(log, 10)
    sql(engine, "UPDATE audit_events SET actor = 'mallory', hash = ? WHERE seq = 4", "f" * 64)
    result = log.verify()
    assert result.first_bad == 4
    ev = log.events()[3]
    body = ev.model_dump(exclude={"prev_hash", "hash"})
    sql(engine, "UPDATE audit_events SET hash = ? WHERE seq = 4", event_hash(ev.prev_hash, body))
    result = log.verify()
    assert result.first_bad == 5 and "prev_hash" in (result.reason or "")


def test_deleting_a_middle_event_is_detected(engine: Engine) -> None:
    log = AuditLog(engine)
    fill(log, 10)
    sql(engine, "DELETE FROM audit_events WHERE seq = 5")
    result = log.verify()
    assert not result.ok and result.first_bad == 6


def test_reordering_and_changed_prev_hash_are_detected(engine: Engine, tmp_path: Path) -> None:
    log = AuditLog(engine)
    fill(log, 6)
    a, b = log.events()[2:4]
    sql(engine, "UPDATE audit_events SET action = ?, details = ? WHERE seq = 3", b.action, json.dumps(b.details))
    sql(engine, "UPDATE audit_events SET action = ?, details = ? WHERE seq = 4", a.action, json.dumps(a.details))
    assert log.verify().first_bad == 3
    other = AuditLog(make_engine(f"sqlite:///{(tmp_path / 'other.db').as_posix()}"))
    fill(other, 6)
    sql(other.engine, "UPDATE audit_events SET prev_hash = ? WHERE seq = 2", "0" * 64)
    result = other.verify()
    assert result.first_bad == 2 and "prev_hash" in (result.reason or "")
    other.engine.dispose()


def test_tail_truncation_changes_the_head(engine: Engine) -> None:
    log = AuditLog(engine)
    fill(log, 5)
    anchored = log.verify().head
    sql(engine, "DELETE FROM audit_events WHERE seq = 5")
    assert log.verify().ok and log.verify().head != anchored  # visible only against an anchored head


def test_export_jsonl_and_csv_round_trip(engine: Engine) -> None:
    log = AuditLog(engine)
    fill(log, 9)
    log.append("dr-lee", "clinician", READ_IDENTIFIED, case_id="case-1", details={"what": "final note"})
    stored = [e.model_dump() for e in log.events(case_id="case-1")]
    assert len(stored) == 4
    lines = log.export(case_id="case-1", fmt="jsonl").splitlines()
    assert [json.loads(line) for line in lines] == stored
    rows = list(csv.DictReader(io.StringIO(log.export(case_id="case-1", fmt="csv"))))
    parsed = [r | {"seq": int(r["seq"]), "details": json.loads(r["details"])} for r in rows]
    assert parsed == [e | {"tenant": e["tenant"] or ""} for e in stored]  # CSV writes None as ""
    today = dt.datetime.now(dt.UTC).date()
    assert log.export(since=today + dt.timedelta(days=1)) == ""
    assert len(log.export(since=today).splitlines()) == 10
    assert len(log.events(limit=3, after=8)) == 2
    with pytest.raises(ValueError, match="xml"):
        log.export(fmt="xml")  # type: ignore[arg-type]


def test_details_are_normalized_or_refused(engine: Engine) -> None:
    class Decision(BaseModel):
        decision: str
        reason: str

    log = AuditLog(engine)
    ev = log.append("bot", "system", "x", details={"day": dt.date(2025, 1, 2), "ids": {"b", "a"},
                                                    "d": Decision(decision="approve", reason="ok")})
    assert ev.details == {"day": "2025-01-02", "ids": ["a", "b"], "d": {"decision": "approve", "reason": "ok"}}
    with pytest.raises(ValueError):
        log.append("bot", "system", "x", details={"score": float("nan")})
    with pytest.raises(TypeError):
        log.append("bot", "system", "x", details={"obj": object()})
    assert log.verify().events == 1


def test_diff_helper() -> None:
    out = diff("S: sad\nP: weekly\n", "S: sad\nP: biweekly\n")
    assert out.startswith("--- draft\n+++ final\n") and "-P: weekly\n" in out and "+P: biweekly\n" in out
    assert diff("same\n", "same\n") == ""


def test_concurrent_threads_keep_a_valid_chain(engine: Engine) -> None:
    def worker(k: int) -> None:
        log = AuditLog(engine)
        for i in range(25):
            log.append(f"user-{k}", "clinician", "note.edit", details={"i": i})

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = AuditLog(engine).verify()
    assert result.ok and result.events == 100


def test_two_processes_keep_a_valid_chain(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'audit.db').as_posix()}"
    engine = make_engine(url)
    AuditLog(engine)
    script = (
        "import sys; from assistant.audit import AuditLog; from assistant.database import make_engine\n"
        "log = AuditLog(make_engine(sys.argv[1]))\n"
        "for i in range(40): log.append(sys.argv[2], 'system', 'tick', details={'i': i})\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, url, f"p{k}"], cwd=REPO) for k in range(2)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    result = AuditLog(engine).verify()
    assert result.ok and result.events == 80
    engine.dispose()


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant.cli", "audit", *args],
                          capture_output=True, text=True, env=env, timeout=120, cwd=REPO)


def test_cli_verify_and_export(tmp_path: Path) -> None:
    settings = Settings(env="test", data_dir=tmp_path / "var", _env_file=None)  # type: ignore[call-arg]
    engine = make_engine(settings.resolved_database_url)
    fill(AuditLog(engine), 6)
    env = {**os.environ, "PARITY_DATA_DIR": str(tmp_path / "var")}
    ok = cli(env, "verify", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) | {"head": None} == {"ok": True, "events": 6, "first_bad": None, "reason": None, "head": None}
    jsonl = cli(env, "export", "--case", "case-0", "--since", "2000-01-01", "--format", "jsonl")
    assert jsonl.returncode == 0 and [json.loads(x)["seq"] for x in jsonl.stdout.splitlines()] == [1, 4]
    out = tmp_path / "audit.csv"
    written = cli(env, "export", "--format", "csv", "--out", str(out), "--json")
    assert written.returncode == 0 and json.loads(written.stdout) == {"format": "csv", "events": 6, "out": str(out)}
    assert [int(r["seq"]) for r in csv.DictReader(out.open(encoding="utf-8"))] == [1, 2, 3, 4, 5, 6]
    bad = cli(env, "export", "--format", "xml")
    assert bad.returncode == 2 and bad.stdout == "" and "--format" in bad.stderr
    bad_day = cli(env, "export", "--since", "2025-13-01")
    assert bad_day.returncode == 2 and "--since" in bad_day.stderr
    sql(engine, "UPDATE audit_events SET role = 'admin' WHERE seq = 3")
    broken = cli(env, "verify", "--json")
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["first_bad"] == 3 and json.loads(broken.stdout)["ok"] is False
    assert "seq 3" in cli(env, "verify").stdout
    engine.dispose()


def test_http_verify_and_events(settings: Settings) -> None:
    app = FastAPI()
    app.include_router(audit_routes.router)
    runtime = Runtime(settings)
    app.state.runtime = runtime
    try:
        fill(AuditLog(runtime.engine), 4)
        with TestClient(app) as client:
            assert client.get("/v1/audit/verify").json()["ok"] is True
            events = client.get("/v1/audit/events", params={"case_id": "case-1", "since": "2000-01-01"}).json()["events"]
            assert [e["seq"] for e in events] == [2] and events[0]["details"]["chunks"] == ["c1"]
            assert client.get("/v1/audit/events", params={"limit": 0}).status_code == 422
            assert client.get("/v1/audit/events", params={"since": "nope"}).status_code == 422
    finally:
        runtime.close()
