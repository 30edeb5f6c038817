"""ragas metrics for Parity: the non-LLM ones always, the LLM-judged ones only with a model.

* retrieval — ``NonLLMContextPrecisionWithReference`` and ``NonLLMContextRecall`` of the hybrid
  search's top-5 passages against the gold sections' passages (``retrieval_questions.jsonl``).
* LLM-judged faithfulness of scribe notes and appeal letters (``eval/ragas_llm.py``), judged by the
  configured model through Parity's gateway; skipped, with a note in the report, when
  ``PARITY_LLM_MODEL`` is not set.

The non-LLM context metrics are only exported from ragas' older ``ragas.metrics`` module,
which warns that it is deprecated; the warning is silenced around the import.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
import warnings
from typing import Any

from eval.runner import SuiteOptions, SuiteReport

K = 5
LLM_SKIPPED = ("ragas LLM-judged metrics (faithfulness, answer relevancy) skipped: no LLM configured "
               "(set PARITY_LLM_MODEL to run them).")
LLM_RUN = ("ragas faithfulness of scribe notes and appeal letters judged by the configured model through "
           "Parity's gateway (eval/ragas_llm.py).")


def llm_note() -> str:
    """Whether the LLM-judged ragas metrics are in the report."""
    return LLM_RUN if os.environ.get("PARITY_LLM_MODEL") else LLM_SKIPPED


def _metrics() -> tuple[Any, Any, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ragas.dataset_schema import SingleTurnSample
        from ragas.metrics import NonLLMContextPrecisionWithReference, NonLLMContextRecall
    return SingleTurnSample, NonLLMContextPrecisionWithReference(), NonLLMContextRecall()


def run(options: SuiteOptions) -> SuiteReport:
    """Score retrieval with ragas' non-LLM context precision and recall (hybrid mode, top 5)."""
    from eval.suites.retrieval import build_store, load_questions

    sample_type, precision, recall = _metrics()
    questions = load_questions(options)
    started = time.perf_counter()
    store = build_store()
    scores: dict[str, list[float]] = {"context_precision": [], "context_recall": []}
    cases: list[dict[str, Any]] = []

    async def score_all() -> None:
        for q in questions:
            day = dt.date.fromisoformat(q["date"]) if q.get("date") else None
            results = store.search(q["question"], payer=q.get("payer"), cpt=q.get("cpt"), date=day, k=K, mode="hybrid")
            gold = [r.text for g in q["gold"] for r in store.get(g["policy_id"], g["section"], payer=q.get("payer"), date=day)
                    if not g.get("version") or r.version == g["version"]]
            if not gold:
                cases.append({"id": q["id"], "error": "gold passages not found in the store"})
                continue
            sample = sample_type(user_input=q["question"], retrieved_contexts=[r.text for r in results],
                                 reference_contexts=gold)
            p = float(await precision.single_turn_ascore(sample))
            r = float(await recall.single_turn_ascore(sample))
            scores["context_precision"].append(p)
            scores["context_recall"].append(r)
            if r < 1.0:
                cases.append({"id": q["id"], "context_precision": round(p, 3), "context_recall": round(r, 3)})

    asyncio.run(score_all())
    metrics: dict[str, Any] = {
        f"nonllm_{name}@{K}": round(sum(v) / len(v), 4) if v else None for name, v in scores.items()
    }
    metrics.update({"questions": len(questions), "scored": len(scores["context_recall"]),
                    "llm_metrics": "skipped", "llm_note": llm_note()})
    if os.environ.get("PARITY_LLM_MODEL"):
        from assistant.runtime import Runtime
        from assistant.settings import get_settings
        from eval.ragas_llm import run_llm_metrics

        llm = run_llm_metrics(Runtime(get_settings()), options.quick)
        for key in ("faithfulness_notes", "faithfulness_letters"):
            cases += [{"set": key, **c} for c in llm[key].pop("cases")]
        metrics.update({"llm_metrics": "run", **llm})
    metrics["seconds"] = round(time.perf_counter() - started, 1)
    return SuiteReport(suite="ragas", n=len(questions), metrics=metrics, cases=cases)
