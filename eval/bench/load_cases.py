"""Service under load: N concurrent clinicians on loopback submit note checks and note cases, then sign them.

Starts ``parity serve`` as a real process (one worker, temp data dir, auth required, tokens for
``--clients`` clinicians), waits for ``/readyz``, then each client sends ``--requests`` requests,
alternating ``POST /v1/notes/check`` and ``POST /v1/cases/notes``. Afterwards every case is approved
by its clinician, and the database is read back: each accepted case exists once, none is missing,
each signed case has exactly one signed note. Prints throughput and p50/p95 per endpoint.

    .venv/bin/python -m eval.bench.load_cases [--clients 8] [--requests 10] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from assistant.auth.users import UserStore
from assistant.database import make_engine

NOTE = (
    "DAP progress note. Session 10:02-10:50 (48 minutes), individual psychotherapy, in office.\n"
    "D: Client reports panic attacks {n} times this week and missed two shifts at work. GAD-7 = 14.\n"
    "Denies suicidal or homicidal ideation; safety plan reviewed.\n"
    "A: F41.0 Panic disorder. Used interoceptive exposure and cognitive restructuring; client engaged.\n"
    "Progress toward goal 1 (fewer than 1 panic attack per week): partial.\n"
    "P: Continue weekly CBT for 8 weeks to prevent relapse. Next session in one week.\n"
    "Signed: J. Rivera, LCSW, {day}\n"
)
TRANSCRIPT = (
    "Therapist: How has the week been?\n"
    "Client: I had {n} panic attacks and missed two shifts.\n"
    "Therapist: Any thoughts of hurting yourself?\n"
    "Client: No, none.\n"
    "Therapist: Let's practise the breathing exercise and challenge the thought that you will faint.\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of ``values`` (q in 0..100)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


async def clinician(client: httpx.AsyncClient, token: str, n: int, seed: int, timings: dict[str, list[float]],
                    cases: list[tuple[str, str]], failures: list[str]) -> None:
    """One clinician's session: alternate note checks and new note cases."""
    headers = {"Authorization": f"Bearer {token}"}
    for i in range(n):
        if i % 2 == 0:
            path, body = "/v1/notes/check", {"note": NOTE.format(n=seed + i, day="2026-11-20"), "cpt": "90834",
                                             "minutes": 48}
        else:
            path, body = "/v1/cases/notes", {"transcript": TRANSCRIPT.format(n=seed + i), "cpt": "90834", "minutes": 48}
        start = time.perf_counter()
        response = await client.post(path, json=body, headers=headers)
        timings[path].append((time.perf_counter() - start) * 1000)
        if response.status_code >= 300:
            failures.append(f"{path} {response.status_code}")
        elif path == "/v1/cases/notes":
            cases.append((response.json()["case_id"], token))


async def run_load(base: str, tokens: list[str], requests: int) -> dict[str, Any]:
    """Drive the server from ``len(tokens)`` concurrent clients; sign every case; return figures."""
    timings: dict[str, list[float]] = defaultdict(list)
    cases: list[tuple[str, str]] = []
    failures: list[str] = []
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        start = time.perf_counter()
        await asyncio.gather(*(clinician(client, t, requests, 10 * k, timings, cases, failures)
                               for k, t in enumerate(tokens)))
        submit_s = time.perf_counter() - start

        async def approve(case_id: str, token: str) -> None:
            t0 = time.perf_counter()
            r = await client.post(f"/v1/cases/{case_id}/decision", json={"action": "approve"},
                                  headers={"Authorization": f"Bearer {token}"})
            timings["/v1/cases/{id}/decision"].append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200 or r.json()["status"] != "signed":
                failures.append(f"approve {r.status_code}")

        start = time.perf_counter()
        await asyncio.gather(*(approve(c, t) for c, t in cases))
        approve_s = time.perf_counter() - start
    total = sum(len(v) for v in timings.values())
    return {
        "clients": len(tokens), "requests": total, "failures": failures,
        "submit_seconds": round(submit_s, 2), "approve_seconds": round(approve_s, 2),
        "throughput_rps": round(total / (submit_s + approve_s), 2),
        "endpoints": {path: {"n": len(v), "p50_ms": round(statistics.median(v), 1),
                             "p95_ms": round(percentile(v, 95), 1)} for path, v in timings.items()},
        "case_ids": [c for c, _ in cases],
    }


def check_records(database_url: str, case_ids: list[str]) -> dict[str, int]:
    """Read the store back: cases accepted vs stored vs signed, and duplicates."""
    engine = make_engine(database_url)
    with engine.connect() as conn:
        stored = [r[0] for r in conn.execute(text("SELECT case_id FROM cases"))]
        signed = [r[0] for r in conn.execute(text("SELECT case_id FROM signed_notes"))]
    engine.dispose()
    return {
        "accepted": len(case_ids), "accepted_distinct": len(set(case_ids)), "stored": len(stored),
        "lost": len(set(case_ids) - set(stored)), "unexpected": len(set(stored) - set(case_ids)),
        "signed_notes": len(signed), "duplicate_signed": len(signed) - len(set(signed)),
    }


def main(argv: list[str] | None = None) -> int:
    """Start the server, run the load, verify the records, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clinicians (1-64)")
    parser.add_argument("--requests", type=int, default=10, help="requests per clinician (1-200)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 64 and 1 <= args.requests <= 200):
        parser.error("--clients must be 1-64 and --requests 1-200 (the load stays bounded)")
    data_dir = Path(tempfile.mkdtemp(prefix="parity-load-"))
    database_url = f"sqlite:///{(data_dir / 'parity.db').as_posix()}"
    engine = make_engine(database_url)
    store = UserStore(engine)
    tokens = [store.issue_token(store.create_user(f"Clinician {k}", "clinician", "load").id) for k in range(args.clients)]
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "PARITY_DATA_DIR": str(data_dir), "PARITY_AUTH": "required", "PARITY_ENV": "test",
           "OPENBLAS_NUM_THREADS": "1"}
    started = time.perf_counter()
    server = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            if server.poll() is not None:
                sys.stderr.write(f"server exited: {server.stderr.read()[-2000:] if server.stderr else ''}\n")
                return 1
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        ready_s = time.perf_counter() - started
        result = asyncio.run(run_load(base, tokens, args.requests))
    finally:
        server.terminate()
        server.wait(timeout=30)
    result["server_ready_seconds"] = round(ready_s, 1)
    result["records"] = check_records(database_url, result.pop("case_ids"))
    ok = not result["failures"] and result["records"]["lost"] == 0 and result["records"]["unexpected"] == 0 \
        and result["records"]["duplicate_signed"] == 0 and result["records"]["signed_notes"] == result["records"]["accepted"]
    result["ok"] = ok
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        sys.stdout.write(f"load: {result['clients']} concurrent clinicians, {result['requests']} requests, "
                         f"{result['throughput_rps']} req/s overall (server ready in {result['server_ready_seconds']} s)\n")
        for path, fig in result["endpoints"].items():
            sys.stdout.write(f"  {path:28s} n={fig['n']:4d}  p50 {fig['p50_ms']:8.1f} ms  p95 {fig['p95_ms']:8.1f} ms\n")
        sys.stdout.write(f"  records: {result['records']}  failures: {len(result['failures'])}  ok: {ok}\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
