"""Co-pilot check latency on 300-, 800- and 1,500-word notes (offline engine, warm process).

Notes are built from the dev set's notes (different notes for every run, so no result is
reused), one per size checked first to warm the process, then timed. Prints p50 / p95 per
size next to the 150 ms target, the time de-identification alone takes, and a re-check after
a one-sentence edit (what happens while the clinician types). With the helper process on
(``PARITY_DEID_WORKERS``, the default on two or more cores: half of a long note's
de-identification and detectors run there) each size also times first checks with the helper
switched off, interleaved on other notes: the one-process baseline.

    .venv/bin/python -m eval.bench.copilot_speed [--runs 30] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from typing import Any

from assistant.copilot.offload import warm as warm_offload
from eval.suites.copilot import DEV, build_checker, load_rows, request_of
from guardrails.deid import get_deidentifier
from guardrails.line_cache import LineCachedDeidentifier

SIZES = (300, 800, 1500)
TARGET_MS = 150.0


def make_note(rows: list[dict[str, Any]], words: int, rng: random.Random) -> str:
    """A note of about ``words`` words stitched from whole dev notes (then cut at a line end)."""
    picked: list[str] = []
    count = 0
    while count < words:
        note = rng.choice(rows)["note"]
        picked.append(note)
        count += len(note.split())
    # a run number on each line keeps lines unique, so no cache can answer a first check
    text = "\n\n".join("\n".join(f"{line} ({rng.randrange(10**6)})" if line.strip() else line for line in n.split("\n")) for n in picked)
    tokens = text.split(" ")
    cut = " ".join(tokens[:words])
    return cut[: cut.rfind("\n")] if "\n" in cut[len(cut) // 2:] else cut


def _edit(note: str, rng: random.Random) -> str:
    """The note with one sentence added to a random line, as a clinician would type it."""
    lines = note.split("\n")
    i = rng.randrange(len(lines))
    lines[i] = lines[i] + " Client reports sleeping about six hours most nights."
    return "\n".join(lines)


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = load_rows(DEV)
    rng = random.Random(11)
    checker = build_checker()
    checker.deidentifier = LineCachedDeidentifier(get_deidentifier())
    template = rows[0]
    deid = get_deidentifier()
    if deid.helper is not None:
        deid.helper.warm()  # a warm process: the de-identification helper is up
        warm_offload(deid.helper)  # with the co-pilot's detectors loaded
        checker.offload = deid.helper  # as `parity serve` builds the checker

    async def timed(note: str) -> tuple[float, float, float]:
        t0 = time.perf_counter()
        deid.deidentify(note)
        t1 = time.perf_counter()
        await checker.check(request_of(template, note))
        t2 = time.perf_counter()
        edited = _edit(note, rng)
        await checker.check(request_of(template, edited))
        t3 = time.perf_counter()
        return (t2 - t1) * 1000, (t1 - t0) * 1000, (t3 - t2) * 1000

    async def first_alone(note: str) -> float:
        """A first check with the helper process switched off (the baseline)."""
        helper, deid.helper, checker.offload = deid.helper, None, None
        try:
            t0 = time.perf_counter()
            await checker.check(request_of(template, note))
            return (time.perf_counter() - t0) * 1000
        finally:
            deid.helper = checker.offload = helper

    report: dict[str, Any] = {"target_p95_ms": TARGET_MS, "runs": args.runs, "helper_process": deid.helper is not None,
                              "sizes": {}}
    loop = asyncio.new_event_loop()  # one loop for every check, as in a running server
    for size in SIZES:  # warm: models, rule packs and both processes' code paths loaded
        loop.run_until_complete(timed(make_note(rows, size, rng)))
    for size in SIZES:
        totals, deids, edits, alone = [], [], [], []
        for _ in range(args.runs):  # interleaved: with the helper, then one process alone, on other notes
            total, deid_ms, edit_ms = loop.run_until_complete(timed(make_note(rows, size, rng)))
            totals.append(total)
            deids.append(deid_ms)
            edits.append(edit_ms)
            if deid.helper is not None:
                alone.append(loop.run_until_complete(first_alone(make_note(rows, size, rng))))
        report["sizes"][str(size)] = {
            "p50_ms": round(statistics.median(totals), 1),
            "p95_ms": round(percentile(totals, 0.95), 1),
            "deid_p50_ms": round(statistics.median(deids), 1),
            "recheck_after_edit_p50_ms": round(statistics.median(edits), 1),
            "recheck_after_edit_p95_ms": round(percentile(edits, 0.95), 1),
            **({"one_process_p50_ms": round(statistics.median(alone), 1),
                "one_process_p95_ms": round(percentile(alone, 0.95), 1)} if alone else {}),
        }
    loop.close()
    if args.json:
        sys.stdout.write(json.dumps(report) + "\n")
    else:
        sys.stdout.write(f"co-pilot check, offline engine, {args.runs} notes per size (target p95 < {TARGET_MS:.0f} ms)\n")
        for size, r in report["sizes"].items():
            sys.stdout.write(f"  {size:>5} words  first check p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms"
                             f"  | re-check after an edit p50 {r['recheck_after_edit_p50_ms']:6.1f} ms"
                             f"  p95 {r['recheck_after_edit_p95_ms']:6.1f} ms"
                             f"  | de-identification alone p50 {r['deid_p50_ms']:.1f} ms\n")
            if "one_process_p50_ms" in r:
                sys.stdout.write(f"  {'':>5}        baseline, one process (no helper): first check p50 {r['one_process_p50_ms']:7.1f} ms"
                                 f"  p95 {r['one_process_p95_ms']:7.1f} ms\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
