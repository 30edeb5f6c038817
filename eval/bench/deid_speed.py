"""De-identification speed: Parity against stock Presidio, side by side in one process.

What it measures:

1. **A one-hour session transcript** (about 60 KB). Real counselling talk from AnnoMI
   (``<shared data>/annomi/AnnoMI-simple.csv``): utterances of consecutive sessions, in file
   order, written as ``Therapist: ...`` / ``Client: ...`` lines until the text reaches
   60,000 characters. Timed ``--runs`` times each, runs alternating between the engines,
   after one warm-up call per engine:

   - Parity: ``get_deidentifier().deidentify(text)`` (analysis *and* pseudonymization);
   - stock Presidio: ``stock_presidio().analyze(text, language="en")`` (default
     ``AnalyzerEngine`` on the same packaged spaCy model, analysis only).

   Reported: median and minimum seconds, throughput in KB/s (KB = 1,000 bytes of UTF-8,
   from the median), and the throughput ratio Parity / stock.
2. **Many short texts**: the 1,500 ``full_text`` sentences of presidio-research
   (``load_presidio_synth()``), one call per sentence, total seconds per engine (one pass
   each) and the ratio stock seconds / Parity seconds (above 1: Parity is faster).

Targets checked: a one-hour transcript in under a second (Parity's median) and Parity at
least three times stock Presidio's throughput on the transcript.

Run it from the repository root::

    .venv/bin/python -m eval.bench.deid_speed            # table, 5 runs
    .venv/bin/python -m eval.bench.deid_speed --runs 10 --json

Output carries timings and sizes only, never the text or the identifiers found in it.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eval.datasets.external import load_presidio_synth, shared_data_dir

TRANSCRIPT_CHARS = 60_000
SPEAKERS = {"therapist": "Therapist", "client": "Client"}
TARGET_SECONDS = 1.0
TARGET_RATIO = 3.0


def build_transcript(path: Path | None = None, min_chars: int = TRANSCRIPT_CHARS) -> str:
    """Concatenate AnnoMI utterances into a session transcript of at least ``min_chars``.

    Sessions are taken in file order; each utterance becomes one ``Therapist: ...`` or
    ``Client: ...`` line, and lines are added until the text reaches ``min_chars``.

    Args:
        path: The AnnoMI CSV (default: ``annomi/AnnoMI-simple.csv`` in the shared data folder).
        min_chars: The length at which to stop adding lines.

    Returns:
        The transcript, newline-separated, ending with a newline.

    Raises:
        ValueError: If the file holds fewer than ``min_chars`` characters of talk.
    """
    path = path or shared_data_dir() / "annomi" / "AnnoMI-simple.csv"
    lines: list[str] = []
    size = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            speaker = SPEAKERS.get(row["interlocutor"].strip().lower(), row["interlocutor"].title())
            line = f"{speaker}: {' '.join(row['utterance_text'].split())}\n"
            lines.append(line)
            size += len(line)
            if size >= min_chars:
                return "".join(lines)
    raise ValueError(f"{path} holds {size} characters of talk, fewer than {min_chars}")


def time_interleaved(calls: Sequence[Callable[[], object]], runs: int) -> list[list[float]]:
    """Time several calls ``runs`` times each, alternating them within every round.

    Alternating (A, B, A, B ...) rather than A x N then B x N spreads any change in machine
    load evenly over the engines being compared.

    Args:
        calls: The calls to time (already warmed up by the caller).
        runs: How many times to call each.

    Returns:
        For each call, its wall-clock seconds per run, in run order.
    """
    seconds: list[list[float]] = [[] for _ in calls]
    for _ in range(runs):
        for fn, timings in zip(calls, seconds, strict=True):
            started = time.perf_counter()
            fn()
            timings.append(time.perf_counter() - started)
    return seconds


def time_corpus(fn: Callable[[str], object], texts: Sequence[str]) -> float:
    """Total seconds for one call of ``fn`` per text.

    Args:
        fn: The call to time, taking one text.
        texts: The texts, each passed once.

    Returns:
        Wall-clock seconds for the whole pass.
    """
    started = time.perf_counter()
    for text in texts:
        fn(text)
    return time.perf_counter() - started


def summarize(seconds: list[float], kb: float) -> dict[str, float]:
    """Median and minimum seconds and the median's throughput.

    Args:
        seconds: Per-run timings.
        kb: Size of the timed text in KB (1,000 bytes).

    Returns:
        ``{"median_s", "min_s", "kb_per_s"}``.
    """
    median = statistics.median(seconds)
    return {
        "median_s": round(median, 4),
        "min_s": round(min(seconds), 4),
        "kb_per_s": round(kb / median, 2) if median > 0 else float("inf"),
    }


def run_benchmark(runs: int = 5) -> dict[str, Any]:
    """Build both engines, warm them up, time them and return the report.

    Args:
        runs: Timed runs per engine on the transcript.

    Returns:
        The report (see the module docstring and ``render_table``).
    """
    from eval.suites.deid import stock_presidio
    from guardrails.deid import get_deidentifier

    text = build_transcript()
    kb = len(text.encode("utf-8")) / 1000
    shorts = [str(rec["full_text"]) for rec in load_presidio_synth()]

    parity = get_deidentifier()
    parity.helper = None  # like for like with stock Presidio: one process each, no helper process
    stock = stock_presidio()

    def parity_call(t: str) -> object:
        return parity.deidentify(t)

    def stock_call(t: str) -> object:
        return stock.analyze(t, language="en")

    parity_call(text)  # warm-up: first pipe through spaCy, lazy tables in recognizers
    stock_call(text)
    parity_runs, stock_runs = time_interleaved([lambda: parity_call(text), lambda: stock_call(text)], runs)

    parity_short = time_corpus(parity_call, shorts)
    stock_short = time_corpus(stock_call, shorts)

    parity_stats = summarize(parity_runs, kb)
    stock_stats = summarize(stock_runs, kb)
    ratio = parity_stats["kb_per_s"] / stock_stats["kb_per_s"] if stock_stats["kb_per_s"] else 0.0
    return {
        "transcript_kb": round(kb, 1),
        "transcript_chars": len(text),
        "transcript_lines": text.count("\n"),
        "runs": runs,
        "parity": parity_stats,
        "stock_presidio": stock_stats,
        "ratio_transcript": round(ratio, 2),
        "short_texts": {
            "n": len(shorts),
            "parity_s": round(parity_short, 3),
            "stock_s": round(stock_short, 3),
            "ratio": round(stock_short / parity_short, 2) if parity_short > 0 else 0.0,
        },
        "targets": {
            "one_hour_under_1s": parity_stats["median_s"] < TARGET_SECONDS,
            "ratio_at_least_3": ratio >= TARGET_RATIO,
        },
    }


def render_table(report: dict[str, Any]) -> str:
    """Format the report as a small plain-text table.

    Args:
        report: What ``run_benchmark`` returned.

    Returns:
        The table, newline-terminated.
    """
    p, s, short = report["parity"], report["stock_presidio"], report["short_texts"]
    targets = report["targets"]

    def mark(ok: bool) -> str:
        return "yes" if ok else "NO"

    rows = [
        f"De-identification speed: transcript {report['transcript_kb']} KB "
        f"({report['transcript_chars']} chars, {report['transcript_lines']} lines), {report['runs']} runs",
        "",
        f"{'engine':<16}{'median s':>10}{'min s':>10}{'KB/s':>10}",
        f"{'parity':<16}{p['median_s']:>10.3f}{p['min_s']:>10.3f}{p['kb_per_s']:>10.1f}",
        f"{'stock presidio':<16}{s['median_s']:>10.3f}{s['min_s']:>10.3f}{s['kb_per_s']:>10.1f}",
        f"throughput ratio parity/stock: {report['ratio_transcript']:.2f}x",
        "",
        f"short texts (presidio-research, n={short['n']}): parity {short['parity_s']:.2f} s, "
        f"stock {short['stock_s']:.2f} s, ratio stock/parity {short['ratio']:.2f}x",
        "",
        f"target one hour (60 KB) under {TARGET_SECONDS:g} s: {mark(targets['one_hour_under_1s'])}",
        f"target >= {TARGET_RATIO:g}x stock throughput: {mark(targets['ratio_at_least_3'])}",
    ]
    return "\n".join(rows) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the benchmark and write the table or the JSON document.

    Args:
        argv: Command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        The process exit status (0).
    """
    parser = argparse.ArgumentParser(prog="python -m eval.bench.deid_speed", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per engine on the transcript (default 5)")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the table")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    report = run_benchmark(args.runs)
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(render_table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
