"""Scribe drafting time for a one-hour transcript (offline engine, warm process).

A one-hour session is about 9,000 spoken words; the transcript is stitched from AnnoMI's
real counselling sessions (``../shared/data/annomi``) until it reaches ``--words``, with a
run number on every line so no cache can answer. Prints the median and max of ``--runs``
drafts next to the 2 s target, and the share spent in de-identification.

    .venv/bin/python -m eval.bench.scribe_speed [--runs 5] [--words 9000] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import statistics
import sys
import time
from pathlib import Path

from assistant.scribe.draft import Scribe
from assistant.scribe.models import DraftRequest
from assistant.scribe.render import load_template
from guardrails.deid import get_deidentifier
from guardrails.line_cache import LineCachedDeidentifier

ANNOMI = Path(__file__).resolve().parents[3] / "shared" / "data" / "annomi" / "AnnoMI-simple.csv"
TARGET_S = 2.0


def one_hour(words: int, run: int) -> str:
    """A transcript of about ``words`` words from AnnoMI sessions, lines made unique by ``run``."""
    lines: list[str] = []
    count = 0
    with ANNOMI.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            role = "Therapist" if row["interlocutor"] == "therapist" else "Client"
            text = " ".join(row["utterance_text"].split())
            lines.append(f"{role}: {text} ({run}-{len(lines)})")
            count += len(text.split())
            if count >= words:
                break
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--words", type=int, default=9000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    deid = get_deidentifier()
    if deid.helper is not None:
        deid.helper.warm()  # a warm process: the de-identification helper is up
    scribe = Scribe(LineCachedDeidentifier(deid), load_template())
    asyncio.run(scribe.draft(DraftRequest(transcript=one_hour(300, -1))))  # warm
    totals, deids, sizes = [], [], []
    for run in range(args.runs):
        text = one_hour(args.words, run)
        t0 = time.perf_counter()
        result = asyncio.run(scribe.draft(DraftRequest(transcript=text)))
        totals.append(time.perf_counter() - t0)
        t1 = time.perf_counter()
        deid.deidentify(text)
        deids.append(time.perf_counter() - t1)
        sizes.append(result.lines)
    report = {
        "target_s": TARGET_S, "runs": args.runs, "words": args.words, "utterances": sizes[0],
        "median_s": round(statistics.median(totals), 3), "max_s": round(max(totals), 3),
        "deid_median_s": round(statistics.median(deids), 3),
    }
    if args.json:
        sys.stdout.write(json.dumps(report) + "\n")
    else:
        sys.stdout.write(
            f"one-hour transcript ({args.words} words, {sizes[0]} utterances), offline engine, {args.runs} runs:\n"
            f"  draft median {report['median_s']:.2f} s, max {report['max_s']:.2f} s (target < {TARGET_S:.0f} s); "
            f"de-identification alone median {report['deid_median_s']:.2f} s\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
