"""``parity eval retrieval``: recall@5 and MRR@10 on policy questions, dense vs hybrid, filter leaks.

``python -m eval.suites.retrieval --cv`` chooses the fusion parameters (RRF constant and
dense : sparse weights) by k-fold cross-validation over the questions and prints each
fold's choice and its held-out recall@5 / MRR@10.

The sample corpus (``retrieval/corpus``) is indexed into an in-memory Qdrant with the
real embedder; each question carries its payer / CPT / date filters and gold sections
(``eval/datasets/retrieval_questions.jsonl``). A hit counts when its policy, version and
section match a gold entry (a result from a sub-section of the gold section counts too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from qdrant_client import QdrantClient

from eval.runner import DATASETS_DIR, SuiteOptions, SuiteReport
from retrieval.embeddings import default_embedder
from retrieval.ingest import ingest_paths
from retrieval.models import SearchResult
from retrieval.policy_store import PolicyStore, SearchMode, fuse

CORPUS = Path(__file__).resolve().parents[2] / "retrieval" / "corpus"
MODES: tuple[SearchMode, ...] = ("hybrid", "dense", "sparse")


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


@lru_cache(maxsize=2)
def build_store(corpus: Path = CORPUS) -> PolicyStore:
    """Index the sample corpus in memory (once per process: the suites only read it)."""
    store = PolicyStore(QdrantClient(":memory:"), default_embedder())
    ingest_paths(store, [corpus])
    return store


def load_questions(options: SuiteOptions) -> list[dict[str, Any]]:
    """The policy questions of a run: the dataset (or ``options.dataset``), every other one with ``--quick``, then ``--limit``."""
    path = options.dataset or DATASETS_DIR / "retrieval_questions.jsonl"
    questions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if options.quick:
        questions = questions[::2]
    if options.limit:
        questions = questions[: options.limit]
    return questions


def run(options: SuiteOptions) -> SuiteReport:
    """Evaluate every question in each search mode."""
    questions = load_questions(options)
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
            results = store.search(
                q["question"], payer=q.get("payer"), cpt=q.get("cpt"), date=day, k=10, mode=mode
            )
            latencies.append((time.perf_counter() - t0) * 1000)
            ranks = [i for i, r in enumerate(results) if any(_matches(r, g) for g in q["gold"])]
            first = ranks[0] if ranks else None
            hits5 += first is not None and first < 5
            rr += 1.0 / (first + 1) if first is not None else 0.0
            leaks += _leaks(results, q, codes)
            if mode == "hybrid" and (first is None or first >= 5):
                cases.append(
                    {
                        "id": q["id"],
                        "rank": first,
                        "top": [f"{r.policy_id} v{r.version} §{r.section}" for r in results[:3]],
                        "gold": [
                            f"{g['policy_id']} v{g.get('version', '*')} §{g['section']}" for g in q["gold"]
                        ],
                    }
                )
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


RRF_KS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
SPARSE_WEIGHTS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)


def _first_hit(
    store: PolicyStore, q: dict[str, Any], found: Any, rrf_k: float, w_sparse: float
) -> int | None:
    order, _ = fuse(found, weights={"dense": 1.0, "sparse": w_sparse}, rrf_k=rrf_k)
    for rank, (name, point_id) in enumerate(order[:10]):
        result = q["_payloads"].get((name, point_id))
        if result is not None and any(_matches(result, g) for g in q["gold"]):
            return rank
    return None


def fusion_cv(folds: int = 5, seed: int = 13) -> dict[str, Any]:
    """Choose (RRF k, sparse weight) on k-1 folds, measure on the held-out fold, for each fold."""
    from retrieval.policy_store import _result

    questions = load_questions(SuiteOptions())
    store = build_store()
    for q in questions:
        day = dt.date.fromisoformat(q["date"]) if q.get("date") else None
        found = store.candidates(q["question"], payer=q.get("payer"), cpt=q.get("cpt"), date=day)
        payloads = {}
        for name in {c[1] for ranked in found.rankings.values() for c in ranked}:
            ids = sorted({c[2] for ranked in found.rankings.values() for c in ranked if c[1] == name})
            for point in store.client.retrieve(name, ids, with_payload=True):
                payloads[(name, str(point.id))] = _result(point.payload or {}, 0.0)
        q["_found"], q["_payloads"] = found, payloads
    grid = list(itertools.product(RRF_KS, SPARSE_WEIGHTS))
    ranks = {params: [_first_hit(store, q, q["_found"], *params) for q in questions] for params in grid}
    order = list(range(len(questions)))
    random.Random(seed).shuffle(order)
    fold_of = {i: n % folds for n, i in enumerate(order)}

    def score(params: tuple[float, float], members: list[int]) -> tuple[float, float]:
        r = [ranks[params][i] for i in members]
        n = max(len(members), 1)
        return (sum(x is not None and x < 5 for x in r) / n, sum(1 / (x + 1) for x in r if x is not None) / n)

    rows = []
    for f in range(folds):
        train = [i for i in order if fold_of[i] != f]
        test = [i for i in order if fold_of[i] == f]
        best = max(grid, key=lambda p: score(p, train))
        recall, mrr = score(best, test)
        rows.append(
            {
                "fold": f,
                "rrf_k": best[0],
                "w_sparse": best[1],
                "test_recall@5": round(recall, 4),
                "test_mrr@10": round(mrr, 4),
                "n": len(test),
            }
        )
    overall = max(grid, key=lambda p: score(p, order))
    return {
        "folds": rows,
        "cv_recall@5": round(sum(r["test_recall@5"] * r["n"] for r in rows) / len(order), 4),
        "cv_mrr@10": round(sum(r["test_mrr@10"] * r["n"] for r in rows) / len(order), 4),
        "chosen_on_all": {
            "rrf_k": overall[0],
            "w_sparse": overall[1],
            "recall@5": round(score(overall, order)[0], 4),
            "mrr@10": round(score(overall, order)[1], 4),
        },
    }


def main() -> int:
    """``python -m eval.suites.retrieval --cv``: cross-validate the fusion parameters."""
    parser = argparse.ArgumentParser(description="retrieval fusion parameters by cross-validation")
    parser.add_argument("--cv", action="store_true", required=True)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    sys.stdout.write(json.dumps(fusion_cv(args.folds), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
