"""Measure the tokens Parity sends to and expects from the model, per note and per appeal.

Runs Parity's own LLM paths (scribe extract/write, co-pilot judge/phrase, appeal letter) on the
evaluation datasets with a recording stand-in for the model, so every prompt is rendered from
``prompts/`` with real variables. The stand-in answers with what the offline engine produced for
the same input (facts, sections, letter), so later prompts and the output sizes are realistic.
Tokens are counted with tiktoken ``cl100k_base`` (bundled with litellm, offline); Llama 3's
tokenizer extends that vocabulary and gives counts within a few percent on English text.

Usage (from the repository root, Parity's venv)::

    .venv/bin/python deploy/capacity/measure_prompts.py [--out var/capacity.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from assistant.gateway import LLMGateway  # noqa: E402
from assistant.runtime import Runtime  # noqa: E402
from assistant.scribe.models import DraftRequest  # noqa: E402
from assistant.settings import Settings  # noqa: E402

DATASETS = REPO / "eval" / "datasets"


class Recorder:
    """Stands in for ``litellm.acompletion``: counts tokens in and out, answers from a table."""

    def __init__(self) -> None:
        """Start with no answers and no calls."""
        import os

        import litellm
        import tiktoken

        # litellm ships the cl100k_base file: no download.
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(Path(litellm.__file__).parent / "litellm_core_utils" / "tokenizers"))

        self.encoding = tiktoken.get_encoding("cl100k_base")
        self.answers: dict[str, str] = {}
        self.task = ""
        self.calls: list[dict[str, Any]] = []

    def tokens(self, text: str) -> int:
        """Tokens of ``text``."""
        return len(self.encoding.encode(text))

    async def __call__(self, **kwargs: Any) -> Any:
        """Record one call and answer with the prepared JSON for its task."""
        import litellm

        answer = self.answers.get(self.task, "{}")
        chat = sum(4 + self.tokens(m["content"]) for m in kwargs["messages"]) + 3  # ChatML framing
        self.calls.append({"task": self.task, "prompt_tokens": chat, "output_tokens": self.tokens(answer)})
        return await litellm.acompletion(model="openai/recorder", messages=kwargs["messages"], mock_response=answer)


class RecordingGateway(LLMGateway):
    """A gateway that tells the recorder which prompt task is being called."""

    def __init__(self, settings: Settings, recorder: Recorder) -> None:
        """Bind to the recorder."""
        super().__init__(settings, completion=recorder)
        self.recorder = recorder

    async def generate(self, task: str, variables: dict[str, Any], schema: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Note the task, then run the real gateway."""
        self.recorder.task = task
        return await super().generate(task, variables, schema, **kwargs)


def _runtime(data_dir: Path, recorder: Recorder | None) -> Runtime:
    settings = Settings(env="test", data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
    runtime = Runtime(settings)
    if recorder is not None:
        llm = settings.model_copy(update={"llm_model": "hosted_vllm/recorder", "llm_max_retries": 0})
        runtime.__dict__["gateway"] = RecordingGateway(llm, recorder)
    return runtime


def measure_notes(recorder: Recorder, work: Path) -> list[list[dict[str, Any]]]:
    """The calls of one LLM-engine draft (with the co-pilot check) per scribe transcript."""
    offline = _runtime(work / "offline", None)
    llm = _runtime(work / "llm", recorder)
    per_note = []
    for line in (DATASETS / "scribe_transcripts.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        request = DraftRequest(transcript=row["transcript"], roles=row.get("roles", {}), cpt="90837",
                               payer="lakeshore-health", minutes=row.get("minutes") or 55)
        draft = asyncio.run(offline.scribe.draft(request))
        recorder.answers = {
            "scribe_extract": json.dumps({"facts": [f.model_dump(mode="json") for f in draft.facts]}),
            "scribe_write": json.dumps({"sections": [s.model_dump(mode="json") for s in draft.sections]}),
            "copilot_judge": json.dumps({"status": "partial", "quote": draft.sections[0].sentences[0].text
                                         if draft.sections and draft.sections[0].sentences else ""}),
            "copilot_suggest": json.dumps({"sentence": "Client reports the plan was reviewed and agreed."}),
        }
        start = len(recorder.calls)
        asyncio.run(llm.scribe.draft(request))
        per_note.append(recorder.calls[start:])
    offline.close()
    llm.close()
    return per_note


def measure_appeals(recorder: Recorder, work: Path) -> list[list[dict[str, Any]]]:
    """The calls of one LLM-engine appeal letter per appealable scenario with notes."""
    from assistant.appeals.evidence import document
    from assistant.appeals.service import draft_appeal
    from eval.suites.appeals import _store

    base = DATASETS / "appeals"
    store = _store()
    offline = _runtime(work / "offline-appeals", None)
    llm = _runtime(work / "llm-appeals", recorder)
    offline.__dict__["policy_store"] = llm.__dict__["policy_store"] = store
    per_appeal = []
    for line in (base / "scenarios.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if not (row["gold"]["appealable"] and row.get("notes")):
            continue
        data = (base / row["file"]).read_bytes()
        docs = [document(Path(n).name, (base / n).read_text(encoding="utf-8")) for n in row["notes"]]
        if row.get("plan"):
            docs.append(document(Path(row["plan"]).name, (base / row["plan"]).read_text(encoding="utf-8"),
                                 "treatment plan"))
        name = Path(row["file"]).name
        letter = asyncio.run(draft_appeal(offline, data, name, docs, claim=row.get("claim_id"))).letter_markdown
        recorder.answers = {"appeal_letter": json.dumps({"letter_markdown": letter or "x" * 60})}
        start = len(recorder.calls)
        asyncio.run(draft_appeal(llm, data, name, docs, claim=row.get("claim_id")))
        per_appeal.append(recorder.calls[start:])
    offline.close()
    llm.close()
    return per_appeal


def summarize(cases: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Per-task and per-case token figures."""
    by_task: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for calls in cases:
        for call in calls:
            by_task[call["task"]].append(call)

    def stats(values: list[int]) -> dict[str, float]:
        ordered = sorted(values)
        return {"mean": round(statistics.mean(ordered), 1), "p90": ordered[int(0.9 * (len(ordered) - 1))],
                "max": ordered[-1]}

    totals_in = [sum(c["prompt_tokens"] for c in calls) for calls in cases]
    totals_out = [sum(c["output_tokens"] for c in calls) for calls in cases]
    return {
        "cases": len(cases),
        "calls_per_case": stats([len(calls) for calls in cases]),
        "prompt_tokens_per_case": stats(totals_in),
        "output_tokens_per_case": stats(totals_out),
        "tasks": {task: {"calls": len(calls), "calls_per_case": round(len(calls) / len(cases), 2),
                         "prompt_tokens": stats([c["prompt_tokens"] for c in calls]),
                         "output_tokens": stats([c["output_tokens"] for c in calls])}
                  for task, calls in sorted(by_task.items())},
    }


def main(argv: list[str] | None = None) -> int:
    """Measure and print the summary as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    recorder = Recorder()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        report = {
            "tokenizer": "tiktoken cl100k_base",
            "max_tokens_configured": Settings(_env_file=None).llm_max_tokens,  # type: ignore[call-arg]
            "note": summarize(measure_notes(recorder, work)),
            "appeal": summarize(measure_appeals(recorder, work)),
        }
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
