"""``parity eval retrieval``: recall@5 and MRR@10 on policy questions, dense vs hybrid, filter leaks.

The sample corpus (``retrieval/corpus``) is indexed into an in-memory Qdrant with the
real embedder; each question carries its payer / CPT / date filters and gold sections
(``eval/datasets/retrieval_questions.jsonl``). A hit counts when its policy, version and
section match a gold entry (a result from a sub-section of the gold section counts too).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from qdrant_client import QdrantClient

from eval.runner import DATASETS_DIR, SuiteOptions, SuiteReport
from retrieval.embeddings import default_embedder
from retrieval.ingest import ingest_paths
from retrieval.models import SearchResult
from retrieval.policy_store import PolicyStore

CORPUS = Path(__file__).resolve().parents[2] / "retrieval" / "corpus"
MODES = ("hybrid", "dense", "sparse")


def _matches(result: SearchResult, gold: dict[str, str]) -> bool:
    if result.policy_id != gold["policy_id"]:
        return False
    if gold.get("version") and result.version != gold["version"]:
        return False
    return result.section == gold["section"] or result.section.startswith(gold["section"] + ".")


def _leaks(results: list[SearchResult], q: dict[str, Any], codes: dict[tuple[str, str], list[str]]) -> int:
    day = dt.date.fromisoformat(q["date"]) if q.get("date") else None
    bad = 0
    for r in results:
        wrong_payer = bool(q.get("payer")) and r.payer != q["payer"]
        out_of_date = day is not None and not (
            r.effective_from <= day and (r.effective_to is None or day <= r.effective_to)
        )
        wrong_code = bool(q.get("cpt")) and q["cpt"] not in codes.get((r.policy_id, r.version), [])
        bad += wrong_payer or out_of_date or wrong_code
    return bad


def build_store(corpus: Path = CORPUS) -> PolicyStore:
    """Index the sample corpus in memory."""
    store = PolicyStore(QdrantClient(":memory:"), default_embedder())
    ingest_paths(store, [corpus])
    return store


def run(options: SuiteOptions) -> SuiteReport:
    """Evaluate every question in each search mode."""
    path = options.dataset or DATASETS_DIR / "retrieval_questions.jsonl"
    questions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if options.quick:
        questions = questions[::2]
    if options.limit:
        questions = questions[: options.limit]
    started = time.perf_counter()
    store = build_store()
    index_s = time.perf_counter() - started
    codes = {(p["policy_id"], p["version"]): p["codes"] for p in store.list_policies()}
    per_mode: dict[str, dict[str, float]] = {}
    cases: list[dict[str, Any]] = []
    total_leaks = 0
    for mode in MODES:
        hits5 = rr = 0.0
        leaks = 0
        latencies = []
        for q in questions:
            day = dt.date.fromisoformat(q["date"]) if q.get("date") else None
            t0 = time.perf_counter()
            results = store.search(q["question"], payer=q.get("payer"), cpt=q.get("cpt"), date=day, k=10, mode=mode)  # type: ignore[arg-type]
            latencies.append((time.perf_counter() - t0) * 1000)
            ranks = [i for i, r in enumerate(results) if any(_matches(r, g) for g in q["gold"])]
            first = ranks[0] if ranks else None
            hits5 += first is not None and first < 5
            rr += 1.0 / (first + 1) if first is not None else 0.0
            leaks += _leaks(results, q, codes)
            if mode == "hybrid" and (first is None or first >= 5):
                cases.append({
                    "id": q["id"], "rank": first,
                    "top": [f"{r.policy_id} v{r.version} §{r.section}" for r in results[:3]],
                    "gold": [f"{g['policy_id']} v{g.get('version', '*')} §{g['section']}" for g in q["gold"]],
                })
        n = max(len(questions), 1)
        latencies.sort()
        per_mode[mode] = {
            "recall@5": round(hits5 / n, 4),
            "mrr@10": round(rr / n, 4),
            "filter_leaks": leaks,
            "p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else 0.0,
        }
        total_leaks += leaks
    return SuiteReport(
        suite="retrieval",
        n=len(questions),
        metrics={
            **per_mode["hybrid"],
            "modes": per_mode,
            "filter_leaks_total": total_leaks,
            "chunks": store.count(),
            "index_seconds": round(index_s, 1),
            "targets": {"recall@5": 0.95, "filter_leaks": 0},
        },
        cases=cases,
    )
