"""Policy search speed on a synthetic 10,000-chunk corpus.

Builds policies for 20 payers with two versions each, ingests them into Qdrant local
mode on disk (the embedded default), then times filtered hybrid queries (payer + CPT +
date, query embedding included) and prints p50/p95 next to the 50 ms target, and ingest
throughput in chunks per second.

    .venv/bin/python -m eval.bench.retrieval_speed [--chunks 10000] [--queries 200] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from typing import Any

from retrieval.embeddings import default_embedder
from retrieval.models import PolicyMeta, Section
from retrieval.policy_store import PolicyStore
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


def run(n_chunks: int, n_queries: int) -> dict[str, Any]:
    """Ingest and query; return the figures."""
    docs = synthetic_policies(n_chunks)
    embedder = default_embedder()
    with tempfile.TemporaryDirectory() as folder:
        client = open_client(path=folder)
        store = PolicyStore(client, embedder)
        store.ensure()
        t0 = time.perf_counter()
        for meta, sections in docs:
            store.ingest(meta, sections)
        ingest_s = time.perf_counter() - t0
        total = store.count()
        rng = random.Random(11)
        latencies = []
        for i in range(n_queries):
            query = QUERIES[i % len(QUERIES)]
            t = time.perf_counter()
            store.search(
                query,
                payer=f"payer-{rng.randrange(20):02d}",
                cpt=rng.choice(CODES),
                date=dt.date(2024 + rng.randrange(2), 6, 1),
                k=5,
            )
            latencies.append((time.perf_counter() - t) * 1000)
        client.close()
    return {
        "chunks": total,
        "ingest_seconds": round(ingest_s, 1),
        "ingest_chunks_per_s": round(total / ingest_s, 1),
        "queries": n_queries,
        "query_p50_ms": round(statistics.median(latencies), 1),
        "query_p95_ms": round(percentile(latencies, 95), 1),
        "target_p95_ms": 50,
        "meets_target": percentile(latencies, 95) < 50,
    }


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.chunks < 50 or args.queries < 1:
        sys.stderr.write("--chunks must be >= 50 and --queries >= 1\n")
        return 2
    report = run(args.chunks, args.queries)
    if args.json:
        sys.stdout.write(json.dumps(report) + "\n")
    else:
        sys.stdout.write(
            f"corpus: {report['chunks']} chunks, ingest {report['ingest_seconds']} s "
            f"({report['ingest_chunks_per_s']} chunks/s)\n"
            f"filtered hybrid query (payer+cpt+date, embedding included), {report['queries']} queries: "
            f"p50 {report['query_p50_ms']} ms, p95 {report['query_p95_ms']} ms "
            f"(target p95 < {report['target_p95_ms']} ms: {'yes' if report['meets_target'] else 'NO'})\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
