"""Policy search speed on a synthetic 10,000-chunk corpus, current search vs the previous one.

Builds policies for 20 payers with two versions each, ingests them into Qdrant local
mode on disk (the embedded default), then times filtered hybrid queries (payer + CPT +
date, query embedding included) and prints p50/p95 next to the 50 ms target, and ingest
throughput in chunks per second.

Two query paths run on the same index, interleaved, for ``--rounds`` rounds:

- ``current``: :meth:`PolicyStore.search` (version registry, one hard condition per
  passage query, dense and sparse candidates fused here);
- ``baseline``: the previous search, two prefetches carrying the full payer / CPT / date /
  tenant filter, fused by Qdrant's weighted RRF (the query vectors are the current ones).

The figures are the median over rounds of each round's p50 and p95. BLAS runs on one
thread (``OPENBLAS_NUM_THREADS=1`` unless set): one query's matrices are small, and
threads only add contention.

    .venv/bin/python -m eval.bench.retrieval_speed [--chunks 10000] [--queries 200] [--rounds 3] [--json]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from qdrant_client import models

from retrieval.embeddings import default_embedder
from retrieval.models import PolicyMeta, Section
from retrieval.policy_store import PolicyStore
from retrieval.sparse import sparse_vector
from retrieval.store import open_client

TOPICS = [
    "Medical necessity requires a covered diagnosis, current symptoms with severity and functional impairment.",
    "Psychotherapy of 53 minutes or more billed as 90837 needs documentation of why the extended time was needed.",
    "Crisis psychotherapy 90839 covers the first 30 to 74 minutes; add 90840 for each additional 30 minutes.",
    "Family psychotherapy 90846 and 90847 need at least 26 minutes and a note on how it addresses the patient.",
    "Telehealth visits use place of service 10 in the home and modifier 95 for audio-video sessions.",
    "Prior authorization is required after the twelfth outpatient visit in a calendar year.",
    "Concurrent review needs updated goals, standardized measures and a continued-care rationale.",
    "Appeals must be filed within 180 days of the denial; expedited appeals are decided within 72 hours.",
    "Interactive complexity 90785 requires a documented qualifying factor such as an interpreter.",
    "Group psychotherapy 90853 notes list the participants and the patient's participation.",
]
CODES = ["90791", "90832", "90834", "90837", "90839", "90846", "90847", "90853", "90785"]
QUERIES = [
    "what does an extended 60 minute session need",
    "appeal deadline after a denial",
    "telehealth modifier for video visits",
    "when is prior authorization required",
    "crisis session time rules",
    "CARC 50 medical necessity documentation",
]


def synthetic_policies(n_chunks: int, seed: int = 7) -> list[tuple[PolicyMeta, list[Section]]]:
    """Policies whose sections add up to ``n_chunks`` chunks."""
    rng = random.Random(seed)
    sections_per_doc = 50
    docs = []
    for d in range(n_chunks // sections_per_doc):
        payer = f"payer-{d % 20:02d}"
        version = 1 + (d // 20) % 2
        meta = PolicyMeta(
            payer=payer,
            policy_id=f"POL-{d:04d}",
            title=f"Behavioral health policy {d}",
            version=str(version),
            effective_from=dt.date(2023 + version, 1, 1),
            effective_to=dt.date(2023 + version, 12, 31) if version == 1 else None,
            codes=rng.sample(CODES, 4),
        )
        sections = [
            Section(
                number=f"{s // 5 + 1}.{s % 5 + 1}",
                title=f"Requirement {s}",
                path=[f"{s // 5 + 1} Part", f"{s // 5 + 1}.{s % 5 + 1} Requirement {s}"],
                text=f"{rng.choice(TOPICS)} Reference {d}-{s}. {rng.choice(TOPICS)}",
            )
            for s in range(sections_per_doc)
        ]
        docs.append((meta, sections))
    return docs


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def baseline_search(
    store: PolicyStore, query: str, payer: str, cpt: str, date: dt.date, k: int = 5
) -> list[models.ScoredPoint]:
    """The previous search: full filter in both prefetches, weighted RRF inside Qdrant."""
    day = date.year * 10000 + date.month * 100 + date.day
    flt = models.Filter(
        must=[
            models.FieldCondition(key="tenant", match=models.MatchAny(any=["public"])),
            models.FieldCondition(key="payer", match=models.MatchValue(value=payer)),
            models.FieldCondition(key="codes", match=models.MatchValue(value=cpt)),
            models.FieldCondition(key="effective_from_day", range=models.Range(lte=day)),
            models.FieldCondition(key="effective_to_day", range=models.Range(gte=day)),
        ]
    )
    dense = store.embedder.embed([query])[0].tolist()
    indices, values = sparse_vector(query)
    response = store.client.query_points(
        store.collection_for(payer),
        prefetch=[
            models.Prefetch(query=dense, using="dense", filter=flt, limit=50),
            models.Prefetch(
                query=models.SparseVector(indices=indices, values=values),
                using="sparse",
                filter=flt,
                limit=50,
            ),
        ],
        query=models.RrfQuery(rrf=models.Rrf(k=1, weights=[1.0, 3.0])),
        limit=k,
        with_payload=True,
    )
    return response.points


def time_queries(search: Callable[[str, str, str, dt.date], object], n_queries: int) -> list[float]:
    """Milliseconds per query of ``search(query, payer, cpt, date)`` over a fixed query mix."""
    rng = random.Random(11)
    latencies = []
    for i in range(n_queries):
        query = QUERIES[i % len(QUERIES)]
        payer, cpt = f"payer-{rng.randrange(20):02d}", rng.choice(CODES)
        date = dt.date(2024 + rng.randrange(2), 6, 1)
        t = time.perf_counter()
        search(query, payer, cpt, date)
        latencies.append((time.perf_counter() - t) * 1000)
    return latencies


def run(n_chunks: int, n_queries: int, rounds: int = 3) -> dict[str, Any]:
    """Ingest, then time both query paths for ``rounds`` interleaved rounds; return the figures."""
    docs = synthetic_policies(n_chunks)
    embedder = default_embedder()
    paths: dict[str, Callable[[str, str, str, dt.date], object]]
    per_round: dict[str, list[tuple[float, float]]] = {"baseline": [], "current": []}
    with tempfile.TemporaryDirectory() as folder:
        client = open_client(path=folder)
        store = PolicyStore(client, embedder)
        store.ensure()
        t0 = time.perf_counter()
        for meta, sections in docs:
            store.ingest(meta, sections)
        ingest_s = time.perf_counter() - t0
        total = store.count()
        paths = {
            "baseline": lambda q, p, c, d: baseline_search(store, q, p, c, d),
            "current": lambda q, p, c, d: store.search(q, payer=p, cpt=c, date=d, k=5),
        }
        for search in paths.values():  # warm-up
            time_queries(search, 10)
        for _ in range(rounds):
            for name, search in paths.items():
                latencies = time_queries(search, n_queries)
                per_round[name].append((statistics.median(latencies), percentile(latencies, 95)))
        client.close()
    figures: dict[str, dict[str, Any]] = {
        name: {
            "p50_ms": round(statistics.median(r[0] for r in rows), 1),
            "p95_ms": round(statistics.median(r[1] for r in rows), 1),
            "rounds": [{"p50_ms": round(a, 1), "p95_ms": round(b, 1)} for a, b in rows],
        }
        for name, rows in per_round.items()
    }
    current = {m: float(v) for m, v in figures["current"].items() if m != "rounds"}
    return {
        "chunks": total,
        "ingest_seconds": round(ingest_s, 1),
        "ingest_chunks_per_s": round(total / ingest_s, 1),
        "queries": n_queries,
        "rounds": rounds,
        "query_p50_ms": current["p50_ms"],
        "query_p95_ms": current["p95_ms"],
        "modes": figures,
        "target_p95_ms": 50,
        "meets_target": current["p95_ms"] < 50,
    }


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.chunks < 50 or args.queries < 1 or args.rounds < 1:
        sys.stderr.write("--chunks must be >= 50, --queries and --rounds >= 1\n")
        return 2
    report = run(args.chunks, args.queries, args.rounds)
    if args.json:
        sys.stdout.write(json.dumps(report) + "\n")
    else:
        lines = [
            f"corpus: {report['chunks']} chunks, ingest {report['ingest_seconds']} s "
            f"({report['ingest_chunks_per_s']} chunks/s)",
            f"filtered hybrid query (payer+cpt+date, embedding included), {report['queries']} queries x "
            f"{report['rounds']} rounds, median of the rounds' p50 / p95:",
        ]
        for name, fig in report["modes"].items():
            each = ", ".join(f"{r['p50_ms']}/{r['p95_ms']}" for r in fig["rounds"])
            lines.append(
                f"  {name:9s} p50 {fig['p50_ms']} ms, p95 {fig['p95_ms']} ms   (rounds p50/p95: {each})"
            )
        lines.append(
            f"target p95 < {report['target_p95_ms']} ms (current): {'yes' if report['meets_target'] else 'NO'}"
        )
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
