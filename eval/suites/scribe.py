"""``parity eval scribe``: grounding, fact recall, reference-note similarity and behaviour tagging.

Five sets, each independent (one failing input is reported, never fatal):

* **annomi** — all 133 AnnoMI counselling sessions drafted as SOAP notes: the share of kept
  sentences whose cited lines support them (re-verified here, independently of the
  scribe), sentences the verifier removed, and risk statements without risk talk in
  their cited lines.
* **facts** — ``eval/datasets/scribe_transcripts.jsonl``: synthetic behavioral-health
  sessions with gold facts. Recall per kind and overall (one extracted fact of the kind
  cites a gold line and holds every keyword); ``recall_pooled`` lets the keywords spread
  over all such facts (a diagnostic). Invented facts: a kind marked absent, or a number /
  medication not in the fact's cited lines.
* **aci_bench** / **mts_dialog** — ROUGE-1/2/L F1 (×100) of the draft against the reference
  note (ACI-Bench test1) or section (MTS-Dialog test set 1), offline engine and, when
  ``PARITY_LLM_MODEL`` is set, the LLM engine; published ACI-Bench figures alongside.
* **intervention_tagging** — :func:`assistant.scribe.behaviours.tag_utterance` against
  AnnoMI's ``main_therapist_behaviour`` (rules calibrated on even transcript ids; odd ids
  are reported apart as held out).

``quick`` runs a fixed, evenly spread subset (15 / 10 / 10 / 30); ``limit`` caps each set.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from typing import Any

from assistant.errors import InvalidInputError
from assistant.gateway import LLMGateway
from assistant.scribe.behaviours import tag_utterance
from assistant.scribe.draft import VOCABULARY, Scribe
from assistant.scribe.facts import OWN_WORDS
from assistant.scribe.intake import parse_transcript
from assistant.scribe.models import DraftRequest, DraftResponse
from assistant.scribe.render import load_template
from assistant.settings import get_settings
from eval.metrics.notes import (
    ACI_TEST1,
    MTS_TEST1,
    aci_dialogue,
    annomi_sessions,
    annomi_text,
    fact_found,
    invented_reason,
    label_scores,
    mts_dialogue,
    read_csv,
    rouge_f1,
)
from eval.runner import DATASETS_DIR, SuiteOptions, SuiteReport
from guardrails.deid import get_deidentifier
from guardrails.line_cache import LineCachedDeidentifier
from guardrails.verify import verify_sentence

FACTS = DATASETS_DIR / "scribe_transcripts.jsonl"
QUICK = {"annomi": 15, "facts": 10, "aci_bench": 10, "mts_dialog": 30}
PUBLISHED = {"aci_bench_test1": {"gpt4_zero_shot_rouge1": 51.8, "bart_finetuned_rouge1": 53.5}}
RISK_TALK = re.compile(  # talk of suicide, self-harm, harm to others or safety (not "cutting back", "safe limits")
    r"\b(?:suicid\w*|self[- ]?harm\w*|harm(?:ing|ed|s)?|hurt(?:ing)?\s+(?:yourself|myself|themselves|himself|herself|someone|anyone|others|people)|"
    r"cut(?:ting)?\s+(?:yourself|myself|themselves|himself|herself)|safety|unsafe|kill\w*|die|dying|dead|death|"
    r"end\s+(?:my|your|their|his|her)\s+life|overdos\w*|crisis|988|911|weapons?|guns?)\b",
    re.IGNORECASE,
)


def build_scribe(llm: bool | None = None) -> Scribe:
    """The scribe as the service builds it; the LLM engine when a model is configured (or ``llm``)."""
    settings = get_settings()
    use_llm = bool(settings.llm_model) if llm is None else llm
    gateway = LLMGateway(settings) if use_llm and settings.llm_model else None
    return Scribe(LineCachedDeidentifier(get_deidentifier()), load_template(), gateway=gateway)


def _spread(items: list[Any], n: int) -> list[Any]:
    """``n`` items evenly spread over ``items`` (all of them when fewer)."""
    if n >= len(items):
        return items
    return [items[i * len(items) // n] for i in range(n)]


def _subset(items: list[Any], name: str, options: SuiteOptions) -> list[Any]:
    if options.quick:
        items = _spread(items, QUICK[name])
    return items[:options.limit] if options.limit else items


def _deid_lines(scribe: Scribe, text: str, fmt: Any = None, roles: dict[str, Any] | None = None) -> dict[int, str]:
    """Line number → de-identified text, as the scribe's verifier sees it."""
    parsed = parse_transcript(text, fmt, roles)
    lines = scribe.deidentifier.deidentify("\n".join(u.text for u in parsed.utterances)).text.split("\n")
    return {u.line: line for u, line in zip(parsed.utterances, lines, strict=True)}


async def _draft(scribe: Scribe, request: DraftRequest) -> tuple[DraftResponse | None, str | None]:
    """The draft, or why there is none (``intake: …`` for rejected input, ``crash: …`` otherwise)."""
    try:
        return await scribe.draft(request), None
    except InvalidInputError as exc:
        return None, f"intake: {exc}"
    except Exception as exc:  # a crash is a finding to report, not a reason to stop the suite
        return None, f"crash: {type(exc).__name__}: {exc}"


async def _annomi(scribe: Scribe, sessions: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    template = scribe.template
    risk_prefix = template.phrasing.get("risk", "Risk: {value}.").split("{")[0]
    started = time.perf_counter()
    totals = {"sentences": 0, "supported": 0, "removed": 0, "risk_statements": 0, "risk_without_talk": 0,
              "removed_still_in_text": 0, "errors": 0}
    cases = []
    for session in sessions:
        text = annomi_text(session)
        response, error = await _draft(scribe, DraftRequest(transcript=text, format="SOAP"))
        if response is None:
            totals["errors"] += 1
            cases.append({"set": "annomi", "id": session["id"], "error": error})
            continue
        lines = _deid_lines(scribe, text)
        words = [*OWN_WORDS, *template.phrasing.values(), *(s.name for s in response.sections)]
        bad, risky = [], []
        for section in response.sections:
            for sentence in section.sentences:
                cited = " ".join(lines.get(n, "") for n in sentence.support)
                totals["sentences"] += 1
                if sentence.support and verify_sentence(sentence.text, cited, VOCABULARY, words).supported:
                    totals["supported"] += 1
                else:
                    bad.append(sentence.text)
                if sentence.text.startswith(risk_prefix):
                    totals["risk_statements"] += 1
                    if not RISK_TALK.search(cited):
                        totals["risk_without_talk"] += 1
                        risky.append(sentence.text)
        totals["removed"] += len(response.unsupported)
        totals["removed_still_in_text"] += sum(1 for u in response.unsupported if u.text in response.text)
        cases.append({"set": "annomi", "id": session["id"], "unsupported_kept": bad, "risk_without_talk": risky,
                      "removed": [f"{u.text} ({u.reason})" for u in response.unsupported]})
    metrics = {
        "sessions": len(sessions), "errors": totals["errors"], "sentences": totals["sentences"],
        "supported_share": round(totals["supported"] / totals["sentences"], 4) if totals["sentences"] else 1.0,
        "removed": totals["removed"], "removed_still_in_text": totals["removed_still_in_text"],
        "risk_statements": totals["risk_statements"], "risk_statements_without_risk_talk": totals["risk_without_talk"],
        "seconds": round(time.perf_counter() - started, 1),
    }
    return metrics, cases


async def _facts(scribe: Scribe, records: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    found: dict[str, list[int]] = {}
    invented = errors = pooled = 0
    cases = []
    for record in records:
        fmt, roles = record.get("format"), record.get("roles") or {}
        request = DraftRequest(transcript=record["transcript"], input_format=fmt, roles=roles, format="SOAP")
        response, error = await _draft(scribe, request)
        if response is None:
            errors += 1
            for gold in record["facts"]:
                found.setdefault(gold["kind"], []).append(0)
            cases.append({"set": "facts", "id": record["id"], "error": error})
            continue
        deid = _deid_lines(scribe, record["transcript"], fmt, roles)
        original = {u.line: u.text for u in parse_transcript(record["transcript"], fmt, roles).utterances}
        text_of = {n: f"{original.get(n, '')} {deid.get(n, '')}" for n in original}
        misses = []
        for gold in record["facts"]:
            hit = fact_found(gold, response.facts, text_of)
            found.setdefault(gold["kind"], []).append(int(hit))
            pooled += hit or fact_found(gold, response.facts, text_of, pooled=True)
            if not hit:
                misses.append(f"{gold['kind']}: {gold['value']} (lines {gold['lines']}, keywords {gold.get('keywords', [])})")
        absent = {a["kind"] for a in record.get("absent", [])}
        made_up = [r for f in response.facts
                   if (r := invented_reason(f, absent, " ".join(deid.get(n, "") for n in f.lines))) is not None]
        invented += len(made_up)
        cases.append({"set": "facts", "id": record["id"], "misses": misses, "invented": made_up})
    hits = [h for values in found.values() for h in values]
    metrics = {
        "transcripts": len(records), "gold_facts": len(hits), "errors": errors,
        "recall": round(sum(hits) / len(hits), 3) if hits else None,
        "recall_pooled": round(pooled / len(hits), 3) if hits else None,
        "per_kind": {k: {"gold": len(v), "recall": round(sum(v) / len(v), 3)} for k, v in sorted(found.items())},
        "invented": invented,
    }
    return metrics, cases


async def _rouge(name: str, scribes: dict[str, Scribe], items: list[dict[str, str]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    metrics: dict[str, Any] = {"dialogues": len(items)}
    cases = []
    for engine, scribe in scribes.items():
        pairs, errors = [], 0
        for item in items:
            request = DraftRequest(transcript=item["dialogue"], input_format="plain", roles=item["roles"], format="SOAP")
            response, error = await _draft(scribe, request)
            if response is None:
                errors += 1
                cases.append({"set": name, "id": item["id"], "engine": engine, "error": error})
                continue
            body = response.text.split("\n", 1)[1].strip() if "\n" in response.text else ""
            pairs.append((body, item["reference"]))
        metrics[engine] = {**rouge_f1(pairs), "scored": len(pairs), "errors": errors}
    return metrics, cases


def _aci_items() -> list[dict[str, Any]]:
    roles = {"Doctor": "therapist", "Patient": "client", "Guest": "other"}
    return [{"id": r["encounter_id"], "dialogue": aci_dialogue(r["dialogue"]), "reference": r["note"], "roles": roles}
            for r in read_csv(ACI_TEST1)]


def _mts_items() -> list[dict[str, Any]]:
    items = []
    for r in read_csv(MTS_TEST1):
        dialogue = mts_dialogue(r["dialogue"])
        guests = {m for m in re.findall(r"^(Guest\w*)\s*:", dialogue, re.MULTILINE)}
        roles = {"Doctor": "therapist", "Patient": "client", **dict.fromkeys(guests, "other")}
        items.append({"id": f"{r['ID']}-{r['section_header']}", "dialogue": dialogue, "reference": r["section_text"],
                      "roles": roles})
    return items


def _tagging(sessions: list[dict[str, Any]]) -> dict[str, Any]:
    labels = ("reflection", "question", "input")
    pairs: dict[str, list[tuple[str, str]]] = {"all": [], "even": [], "odd": []}
    for session in sessions:
        split = "even" if int(session["id"]) % 2 == 0 else "odd"
        for u in session["utterances"]:
            if u["role"] != "therapist":
                continue
            pair = ("input" if u["label"] == "therapist_input" else u["label"], tag_utterance(u["text"]))
            pairs["all"].append(pair)
            pairs[split].append(pair)
    scores = label_scores(pairs["all"], labels)
    return {"utterances": len(pairs["all"]), **scores,
            "macro_f1_even_ids_calibration": label_scores(pairs["even"], labels)["macro_f1"] if pairs["even"] else None,
            "macro_f1_odd_ids_held_out": label_scores(pairs["odd"], labels)["macro_f1"] if pairs["odd"] else None}


def load_records(path: Path) -> list[dict[str, Any]]:
    """The synthetic transcripts with gold facts."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(options: SuiteOptions) -> SuiteReport:
    """Score the scribe on AnnoMI, the synthetic set, ACI-Bench, MTS-Dialog and AnnoMI behaviour labels."""
    started = time.perf_counter()
    scribe = build_scribe()
    scribes = {"offline": scribe if scribe.engine == "offline" else build_scribe(llm=False)}
    if scribe.engine == "llm":
        scribes["llm"] = scribe
    all_sessions = annomi_sessions()
    sessions = _subset(all_sessions, "annomi", options)
    facts_path = options.dataset or FACTS
    metrics: dict[str, Any] = {"engine": scribe.engine, "published": PUBLISHED}
    if scribe.engine == "llm":
        metrics["llm_model"] = get_settings().llm_model
    cases: list[dict[str, Any]] = []

    async def go() -> None:
        metrics["annomi"], found = await _annomi(scribe, sessions)
        cases.extend(found)
        if facts_path.exists():
            metrics["facts"], found = await _facts(scribe, _subset(load_records(facts_path), "facts", options))
            cases.extend(found)
        else:
            metrics["facts"] = {"error": "dataset missing"}
        for name, items in (("aci_bench", _aci_items()), ("mts_dialog", _mts_items())):
            metrics[name], found = await _rouge(name, scribes, _subset(items, name, options))
            cases.extend(found)

    asyncio.run(go())
    metrics["intervention_tagging"] = _tagging(sessions if options.limit else all_sessions)
    metrics["seconds"] = round(time.perf_counter() - started, 1)
    return SuiteReport(suite="scribe", n=len(cases), metrics=metrics, cases=cases)
