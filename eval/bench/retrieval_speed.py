"""Policy search speed on a synthetic 10,000-chunk corpus, current search vs the previous one.

Builds policies for 20 payers (10 policy documents of 50 chunks each, in two versions by
date), ingests them into Qdrant local mode on disk (the embedded default), then times
filtered hybrid queries (payer + CPT + date, query embedding included) and prints p50/p95
next to the 50 ms target, and ingest throughput in chunks per second.

Two query paths run on the same passages, interleaved, for ``--rounds`` rounds:

- ``current``: :meth:`PolicyStore.search` (one collection per policy version: the version
  registry selects the admitted versions, only their collections are scored, the sparse
  query carries the payer's BM25 IDF, dense and sparse candidates fused here);
- ``baseline``: the previous search, on one collection per payer with Qdrant's IDF
  modifier (copied from the version collections after the timed ingest): the same
  registry lookup, then each payer collection is queried with the admitted passages' ids
  as the hard condition, so Qdrant scores every passage of the payer, and the same fusion.

The figures are the median over rounds of each round's p50 and p95. BLAS runs on one
thread (``OPENBLAS_NUM_THREADS=1`` unless set): one query's matrices are small, and
threads only add contention.

    .venv/bin/python -m eval.bench.retrieval_speed [--chunks 10000] [--queries 200] [--rounds 3]
        [--payers 20] [--json]
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
from retrieval.models import PolicyMeta, SearchResult, Section
from retrieval.policy_store import Candidates, PolicyStore, fuse
from retrieval.query import analyse, sparse_query
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


def build_baseline(store: PolicyStore) -> None:
    """Copy the passages into one collection per payer, as the previous layout stored them."""
    client = store.client
    for name in store.collections():
        points, _ = client.scroll(name, limit=10_000, with_payload=True, with_vectors=True)
        target = f"baseline__{(points[0].payload or {})['payer']}"
        if not client.collection_exists(target):
            client.create_collection(
                target,
                vectors_config={
                    "dense": models.VectorParams(size=store.embedder.dim, distance=models.Distance.COSINE)
                },
                sparse_vectors_config={"sparse": models.SparseVectorParams(modifier=models.Modifier.IDF)},
            )
        structs = [models.PointStruct(id=p.id, vector=p.vector or {}, payload=p.payload) for p in points]
        client.upsert(target, points=structs, wait=True)


def baseline_search(
    store: PolicyStore, query: str, payer: str, cpt: str, date: dt.date, k: int = 5
) -> list[SearchResult]:
    """The previous search: registry, then the admitted ids as the condition on the payer collection."""
    rows = store.versions(payer=payer, cpt=cpt, date=date)
    found = Candidates(payer_of={f"baseline__{r['payer']}": r["payer"] for r in rows})
    if rows:
        keys = [r["doc_key"] for r in rows]
        ids = [
            i
            for p in store.client.retrieve(store.registry, keys, with_payload=["chunk_ids"])
            for i in (p.payload or {})["chunk_ids"]
        ]
        flt = models.Filter(must=[models.HasIdCondition(has_id=sorted(ids))])
        indices, values = sparse_query(analyse(query))
        queries: dict[str, Any] = {
            "dense": store.embedder.embed([query])[0].tolist(),
            "sparse": models.SparseVector(indices=indices, values=values),
        }
        name = f"baseline__{payer}"
        requests = [
            models.QueryRequest(query=vector, using=signal, filter=flt, limit=50, with_payload=False)
            for signal, vector in queries.items()
        ]
        for signal, response in zip(queries, store.client.query_batch_points(name, requests), strict=True):
            found.add(signal, [(p.score, name, str(p.id)) for p in response.points])
        found.cut(50)
    order, scores = fuse(found)
    return store.resolve(order[: k + 10], scores, k, payer=payer, cpt=cpt, date=date)


def time_queries(
    search: Callable[[str, str, str, dt.date], object], n_queries: int, payers: int = 20
) -> list[float]:
    """Milliseconds per query of ``search(query, payer, cpt, date)`` over a fixed query mix."""
    rng = random.Random(11)
    latencies = []
    for i in range(n_queries):
        query = QUERIES[i % len(QUERIES)]
        payer, cpt = f"payer-{rng.randrange(payers):02d}", rng.choice(CODES)
        date = dt.date(2024 + rng.randrange(2), 6, 1)
        t = time.perf_counter()
        search(query, payer, cpt, date)
        latencies.append((time.perf_counter() - t) * 1000)
    return latencies


def run(n_chunks: int, n_queries: int, rounds: int = 3, payers: int = 20) -> dict[str, Any]:
    """Ingest, then time both query paths for ``rounds`` interleaved rounds; return the figures.

    ``payers`` < 20 keeps only the first payers' policies (each payer as large as in the full
    corpus, so a query costs what it does there; the ingest is shorter).
    """
    docs = [d for d in synthetic_policies(n_chunks) if int(d[0].payer[-2:]) < payers]
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
        build_baseline(store)
        paths = {
            "baseline": lambda q, p, c, d: baseline_search(store, q, p, c, d),
            "current": lambda q, p, c, d: store.search(q, payer=p, cpt=c, date=d, k=5),
        }
        for search in paths.values():  # warm-up
            time_queries(search, 10, payers)
        for _ in range(rounds):
            for name, search in paths.items():
                latencies = time_queries(search, n_queries, payers)
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
    parser.add_argument("--payers", type=int, default=20, help="keep only the first N of the 20 payers")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.chunks < 50 or args.queries < 1 or args.rounds < 1 or not 1 <= args.payers <= 20:
        sys.stderr.write("--chunks must be >= 50, --queries and --rounds >= 1, --payers 1 to 20\n")
        return 2
    report = run(args.chunks, args.queries, args.rounds, args.payers)
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
