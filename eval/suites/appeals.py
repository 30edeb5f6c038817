"""``parity eval appeals``: extraction, classification, routing, deadlines, citations, unmet criteria, PHI.

Dataset: ``eval/datasets/appeals/scenarios.jsonl`` (denial letters, EOB extracts and 835 files
with gold codes, bucket, appealability, action, routes, deadline and level; paired notes for
the appealable ones, with the criteria those notes do not meet). Every scenario is classified;
every appealable one with notes is drafted with the offline engine against the sample policy
corpus (Qdrant in memory), its letter verified, and the unmet criteria compared with gold.
The model-input check runs the LLM letter path against a recording fake model and looks for
any gold identifier (patient, claim, member) in what the model received.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.appeals.evidence import document
from assistant.appeals.service import classify_file, draft_appeal
from assistant.runtime import Runtime
from assistant.settings import Settings
from eval.runner import DATASETS_DIR, SuiteOptions, SuiteReport
from retrieval.policy_store import PolicyStore

DATA = DATASETS_DIR / "appeals"
CORPUS = Path(__file__).resolve().parents[2] / "retrieval" / "corpus"
QUICK_N = 16


def _share(right: int, total: int) -> float | None:
    return round(right / total, 3) if total else None


def _store() -> PolicyStore:
    from eval.suites.retrieval import build_store

    return build_store(CORPUS)


def run(options: SuiteOptions) -> SuiteReport:
    """Score classification, routing, deadlines and drafted letters on the scenarios."""
    path = options.dataset or DATA / "scenarios.jsonl"
    if not path.exists():
        return SuiteReport(suite="appeals", n=0, metrics={"error": f"dataset missing: {path}"})
    base = path.parent
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if options.quick:
        rows = rows[:: max(1, len(rows) // QUICK_N)][:QUICK_N]
    if options.limit:
        rows = rows[: options.limit]
    started = time.perf_counter()
    counts = {k: 0 for k in ("carc_right", "rarc_right", "bucket_right", "appealable_right", "action_right",
                             "routes_right", "deadline_right", "deadline_total", "drafted", "ready", "citation_problems",
                             "unmet_gold", "unmet_reported", "unmet_extra", "model_checked", "model_leaks")}
    cases: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        runtime = Runtime(Settings(data_dir=Path(tmp), env="test"))
        runtime.__dict__["policy_store"] = _store()
        for row in rows:
            gold = row["gold"]
            data = (base / row["file"]).read_bytes()
            errors: list[str] = []
            try:
                result = classify_file(runtime, data, Path(row["file"]).name, row.get("claim_id"))
            except Exception as exc:  # a scenario that cannot be read is an error, not a crash
                cases.append({"id": row["id"], "errors": [f"classify failed: {type(exc).__name__}: {str(exc)[:120]}"]})
                continue
            d = result.denial
            checks = {
                "carc_right": sorted(d.carc) == sorted(gold.get("carc", [])) or (not gold.get("carc") and not d.carc),
                "rarc_right": sorted(d.rarc) == sorted(gold.get("rarc", [])),
                "bucket_right": result.root_cause == gold["root_cause"],
                "appealable_right": result.appealable == gold["appealable"],
                "action_right": result.action == gold["action"],
                "routes_right": [r for r in result.routes if r != "joint_review"] == gold["routes"],
            }
            for key, ok in checks.items():
                counts[key] += ok
                if not ok:
                    errors.append(key.replace("_right", ""))
            if gold.get("deadline"):
                counts["deadline_total"] += 1
                ok = str(result.deadline) == gold["deadline"] and (result.level or "").lower() == (gold.get("level") or "").lower()
                counts["deadline_right"] += ok
                if not ok:
                    errors.append(f"deadline {result.deadline}/{result.level} vs {gold['deadline']}/{gold.get('level')}")
            case: dict[str, Any] = {"id": row["id"], "errors": errors, "root_cause": result.root_cause}
            if gold["appealable"] and row.get("notes"):
                docs = [document(Path(n).name, (base / n).read_text(encoding="utf-8")) for n in row["notes"]]
                if row.get("plan"):
                    docs.append(document(Path(row["plan"]).name, (base / row["plan"]).read_text(encoding="utf-8"), "treatment plan"))
                draft = asyncio.run(draft_appeal(runtime, data, Path(row["file"]).name, docs, claim=row.get("claim_id")))
                counts["drafted"] += 1
                counts["ready"] += draft.ready
                counts["citation_problems"] += len(draft.verification)
                unmet = {c.element for c in draft.criteria if not c.met}
                gold_unmet = set(row.get("criteria_unmet", []))
                counts["unmet_gold"] += len(gold_unmet)
                counts["unmet_reported"] += len(gold_unmet & unmet)
                counts["unmet_extra"] += len(unmet - gold_unmet)
                case["unmet_missed"] = sorted(gold_unmet - unmet)
                case["unmet_extra"] = sorted(unmet - gold_unmet)
                case["verification"] = draft.verification
                leaked = _model_input_leaks(data, Path(row["file"]).name, docs, row.get("claim_id"), runtime)
                counts["model_checked"] += 1
                counts["model_leaks"] += len(leaked)
                if leaked:
                    case["model_input_identifiers"] = len(leaked)
            cases.append(case)
        runtime.close()
    n = len(rows)
    metrics = {
        "scenarios": n,
        "errors": sum(1 for c in cases if any("failed" in e for e in c["errors"])),
        "carc_extraction": _share(counts["carc_right"], n),
        "rarc_extraction": _share(counts["rarc_right"], n),
        "root_cause": _share(counts["bucket_right"], n),
        "appealable": _share(counts["appealable_right"], n),
        "action": _share(counts["action_right"], n),
        "routes": _share(counts["routes_right"], n),
        "deadline_and_level": _share(counts["deadline_right"], counts["deadline_total"]),
        "letters_drafted": counts["drafted"],
        "citation_validity": _share(counts["ready"], counts["drafted"]),
        "citation_problems": counts["citation_problems"],
        "unmet_criteria_reported": _share(counts["unmet_reported"], counts["unmet_gold"]),
        "unmet_reported_beyond_gold": counts["unmet_extra"],
        "model_inputs_checked": counts["model_checked"],
        "identifiers_in_model_inputs": counts["model_leaks"],
        "seconds": round(time.perf_counter() - started, 1),
    }
    return SuiteReport(suite="appeals", n=n, metrics=metrics, cases=cases)


class _RecordingModel:
    """Stands in for the model: records every message it is sent, answers nothing usable."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def __call__(self, **kwargs: Any) -> Any:
        import litellm

        self.sent += [m["content"] for m in kwargs["messages"]]
        return await litellm.acompletion(model="openai/recorder", messages=kwargs["messages"], mock_response="{}")


def _model_input_leaks(data: bytes, name: str, docs: list[Any], claim: str | None, runtime: Runtime) -> list[str]:
    """Identifiers of the denial (patient, claim, member) found in what the LLM letter path sends."""
    from assistant.gateway import LLMGateway

    settings = runtime.settings.model_copy(update={"llm_model": "hosted_vllm/recorder", "llm_max_retries": 0})
    recorder = _RecordingModel()
    gateway = runtime.__dict__.get("gateway")
    runtime.__dict__["gateway"] = LLMGateway(settings, completion=recorder)
    try:
        draft = asyncio.run(draft_appeal(runtime, data, name, docs, claim=claim))
    finally:
        runtime.__dict__.pop("gateway")
        if gateway is not None:
            runtime.__dict__["gateway"] = gateway
    d = draft.denial
    values = [d.claim_id or "", d.member_id or "", *(d.patient or "").split()]
    return identifiers_in("\n".join(recorder.sent), [v for v in values if len(v) > 2])


def identifiers_in(text: str, values: list[str]) -> list[str]:
    """Which of ``values`` appear in ``text`` (case-insensitive, whole tokens)."""
    return [v for v in values if v and re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text, re.IGNORECASE)]
