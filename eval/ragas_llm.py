"""ragas' LLM-judged faithfulness through Parity's own gateway (same endpoint, structured outputs, retries).

Runs only when a model is configured (``PARITY_LLM_MODEL``). Two checks, both on de-identified text:

* **notes** — the scribe's draft (``scribe_transcripts.jsonl``) against the transcript lines it was
  written from;
* **appeal letters** — each drafted letter (appeal scenarios with notes) against its evidence: the
  denial, the payer's quoted criteria and the dated record quotes. Letter and evidence are
  pseudonymized together, so a placeholder means the same person on both sides.

The judge is ragas' ``Faithfulness`` (statements → NLI verdicts) with :class:`GatewayJudge` as its LLM.
"""

from __future__ import annotations

import asyncio
import json
import math
import statistics
import warnings
from typing import Any, TypeVar

from pydantic import BaseModel
from ragas.llms.base import InstructorBaseRagasLLM

from eval.runner import DATASETS_DIR

T = TypeVar("T", bound=BaseModel)
_SEPARATOR = "\n\n<<<PARITY-CONTEXT>>>\n\n"


class GatewayJudge(InstructorBaseRagasLLM):
    """A ragas LLM whose every call goes through :meth:`assistant.gateway.LLMGateway.structured`."""

    def __init__(self, gateway: Any) -> None:
        """Judge with ``gateway`` (its model, endpoint, response format and retry budget)."""
        self.gateway = gateway
        self.calls = 0

    async def agenerate(self, prompt: str, response_model: type[T]) -> T:  # type: ignore[override]
        """One structured judgement."""
        self.calls += 1
        result: T = await self.gateway.structured(prompt, response_model)
        return result

    def generate(self, prompt: str, response_model: type[T]) -> T:  # type: ignore[override]
        """Synchronous form (ragas calls it outside an event loop)."""
        return asyncio.run(self.agenerate(prompt, response_model))


def pseudonymize_together(deidentifier: Any, response: str, contexts: list[str]) -> tuple[str, list[str]]:
    """De-identify a response and its contexts in one pass, so placeholders agree across them."""
    joined = deidentifier.deidentify(_SEPARATOR.join([response, *contexts])).text
    parts = joined.split(_SEPARATOR.strip())
    parts = [p.strip() for p in parts]
    if len(parts) != len(contexts) + 1:  # the separator was touched: fall back to separate passes
        return deidentifier.deidentify(response).text, [deidentifier.deidentify(c).text for c in contexts]
    return parts[0], parts[1:]


async def _faithfulness(judge: GatewayJudge, items: list[tuple[str, str, str, list[str]]]) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ragas.metrics.collections import Faithfulness
    metric = Faithfulness(llm=judge)
    scores: list[float] = []
    cases: list[dict[str, Any]] = []
    for case_id, question, response, contexts in items:
        try:
            value = float((await metric.ascore(user_input=question, response=response,
                                               retrieved_contexts=contexts)).value)
        except Exception as exc:  # one judge failure is a case note, not a lost run
            cases.append({"id": case_id, "error": f"{type(exc).__name__}: {str(exc)[:200]}"})
            continue
        if not math.isnan(value):
            scores.append(value)
        cases.append({"id": case_id, "faithfulness": None if math.isnan(value) else round(value, 3)})
    return {"mean": round(statistics.fmean(scores), 4) if scores else None, "scored": len(scores), "cases": cases}


def note_items(runtime: Any, n: int) -> list[tuple[str, str, str, list[str]]]:
    """(id, question, draft note, transcript lines) for the first ``n`` scribe transcripts, de-identified."""
    from assistant.scribe.models import DraftRequest

    rows = [json.loads(x) for x in (DATASETS_DIR / "scribe_transcripts.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()][:n]
    items = []
    for row in rows:
        draft = asyncio.run(runtime.scribe.draft(DraftRequest(transcript=row["transcript"])))
        lines = [line for line in row["transcript"].splitlines() if line.strip()]
        note, contexts = pseudonymize_together(runtime.deidentifier, draft.text, lines)
        items.append((row["id"], "Write the progress note for this therapy session.", note, contexts))
    return items


def letter_items(runtime: Any, n: int) -> list[tuple[str, str, str, list[str]]]:
    """(id, question, letter, evidence) for the first ``n`` appealable scenarios with notes, de-identified."""
    from assistant.appeals.evidence import document
    from assistant.appeals.service import draft_appeal

    base = DATASETS_DIR / "appeals"
    rows = [json.loads(x) for x in (base / "scenarios.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = [r for r in rows if r.get("notes") and r["gold"].get("appealable")][:n]
    items = []
    for row in rows:
        denial = (base / row["file"]).read_bytes()
        docs = [document(p.split("/")[-1], (base / p).read_text(encoding="utf-8")) for p in row["notes"]]
        draft = asyncio.run(draft_appeal(runtime, denial, row["file"].split("/")[-1], docs))
        evidence = [denial.decode("utf-8", "replace")]
        for criterion in draft.criteria:
            if criterion.policy is not None:
                evidence.append(f"{criterion.policy.policy_id} §{criterion.policy.section}: {criterion.policy.quote}")
            evidence += [f"{e.source} ({e.date}): {e.quote}" for e in criterion.evidence]
        letter, contexts = pseudonymize_together(runtime.deidentifier, draft.letter_markdown, evidence)
        items.append((row["id"], "Write an appeal letter answering the payer's criteria from the record.", letter,
                      contexts))
    return items


def run_llm_metrics(runtime: Any, quick: bool) -> dict[str, Any]:
    """Faithfulness of notes and appeal letters, judged through the gateway (needs ``engine == "llm"``)."""
    judge = GatewayJudge(runtime.gateway)
    n = 3 if quick else 10
    notes = asyncio.run(_faithfulness(judge, note_items(runtime, n)))
    letters = asyncio.run(_faithfulness(judge, letter_items(runtime, n)))
    return {"faithfulness_notes": notes, "faithfulness_letters": letters, "judge_calls": judge.calls,
            "model": runtime.settings.llm_model}
