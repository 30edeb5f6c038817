"""Metrics and loaders for drafted notes: ROUGE, per-label P/R/F1, gold-fact matching, dialogue sets.

Used by ``eval.suites.scribe``; the public datasets are read from ``/work/shared/data``
(AnnoMI, ACI-Bench, MTS-Dialog) as published, without pandas.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.scribe.facts import MEDICATION, Fact

SHARED = Path("/work/shared/data")
ANNOMI = SHARED / "annomi" / "AnnoMI-simple.csv"
ACI_TEST1 = SHARED / "aci-bench" / "clinicalnlp_taskB_test1.csv"
MTS_TEST1 = SHARED / "mts-dialog" / "MTS-Dialog-TestSet-1-MEDIQA-Chat-2023.csv"
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)?")
_ACI_TAG = re.compile(r"^\s*\[(?P<tag>[a-z_]+)\]\s*(?P<text>.*)$")


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts (UTF-8, header row)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def annomi_sessions(path: Path = ANNOMI) -> list[dict[str, Any]]:
    """AnnoMI sessions in transcript order: ``{"id", "utterances": [{"role", "text", "label"}]}``."""
    by_id: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(path):
        by_id[row["transcript_id"]].append(row)
    sessions = []
    for tid in sorted(by_id, key=int):
        rows = sorted(by_id[tid], key=lambda r: int(r["utterance_id"]))
        utterances = [
            {"role": r["interlocutor"], "text": " ".join(r["utterance_text"].split()), "label": r["main_therapist_behaviour"]}
            for r in rows if r["utterance_text"].strip()
        ]
        sessions.append({"id": tid, "utterances": utterances})
    return sessions


def annomi_text(session: dict[str, Any]) -> str:
    """A session as plain "Therapist: …" / "Client: …" lines."""
    return "\n".join(f"{u['role'].capitalize()}: {u['text']}" for u in session["utterances"])


def aci_dialogue(dialogue: str) -> str:
    """ACI-Bench "[doctor] …" / "[patient] …" turns as "Doctor: …" / "Patient: …" lines.

    Other tags ("[patient_guest]") become "Guest: …"; an untagged line continues the turn.
    """
    names = {"doctor": "Doctor", "patient": "Patient"}
    lines: list[str] = []
    for raw in dialogue.splitlines():
        m = _ACI_TAG.match(raw)
        if m:
            lines.append(f"{names.get(m.group('tag'), 'Guest')}: {' '.join(m.group('text').split())}")
        elif raw.strip() and lines:
            lines[-1] += " " + " ".join(raw.split())
    return "\n".join(line for line in lines if not line.endswith(": "))


def mts_dialogue(dialogue: str) -> str:
    """MTS-Dialog turns ("Doctor: …", "Patient: …", "Guest_family_1: …") one per line, stray quotes removed."""
    return "\n".join(" ".join(line.strip().strip('"').split()) for line in dialogue.splitlines() if line.strip(' ."'))


def rouge_f1(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Mean ROUGE-1/2/L F1 (×100, Porter stemming) over ``(prediction, reference)`` pairs."""
    from rouge_score import rouge_scorer  # imported lazily: only this suite needs it

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    n = 0
    for prediction, reference in pairs:
        scores = scorer.score(reference, prediction)
        for key in ROUGE_TYPES:
            totals[key] += scores[key].fmeasure
        n += 1
    return {key: round(100 * value / n, 2) if n else 0.0 for key, value in totals.items()}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 (1.0 where nothing was expected and nothing predicted)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def label_scores(pairs: list[tuple[str, str]], labels: Iterable[str]) -> dict[str, Any]:
    """Per-label P/R/F1 and macro F1 of ``(gold, predicted)`` pairs."""
    per: dict[str, Any] = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        per[label] = {**prf(tp, fp, fn), "support": tp + fn}
    return {"per_label": per, "macro_f1": round(sum(v["f1"] for v in per.values()) / len(per), 3) if per else 0.0}


def fact_found(gold: dict[str, Any], extracted: list[Fact], text_of: dict[int, str], pooled: bool = False) -> bool:
    """Whether an extracted fact of the gold's kind cites a gold line and holds all its keywords.

    Args:
        gold: ``{"kind", "lines", "keywords"}`` from the dataset.
        extracted: the draft's facts.
        text_of: line number → text (original and de-identified, joined) of that line.
        pooled: let the keywords spread over all same-kind facts citing a gold line (a
            diagnostic for gold facts that span many lines), instead of one fact.
    """
    wanted = set(gold["lines"])
    keywords = [k.lower() for k in gold.get("keywords", [])]
    candidates = [f for f in extracted if f.kind == gold["kind"] and wanted & set(f.lines)]
    groups = [candidates] if pooled and candidates else [[f] for f in candidates]
    for group in groups:
        haystack = " ".join(f.value + " " + " ".join(text_of.get(n, "") for n in f.lines) for f in group).lower()
        if all(k in haystack for k in keywords):
            return True
    return False


def invented_reason(fact: Fact, absent_kinds: set[str], cited: str) -> str | None:
    """Why ``fact`` counts as invented, or ``None``.

    A fact is invented when its kind was marked absent for the session, or its value holds a
    number or medication name missing from its cited lines' de-identified text. The
    participant count (computed by the extractor, not said in the session) is exempt
    from the number test.
    """
    if fact.kind in absent_kinds:
        return f"{fact.kind} fact in a session without one: {fact.value!r}"
    cited_lower = cited.lower()
    if fact.kind != "participants":
        cited_numbers = set(_NUMBER.findall(cited))
        numbers = [n for n in _NUMBER.findall(fact.value) if n not in cited_numbers]
        if numbers:
            return f"number(s) {', '.join(numbers)} not in lines {fact.lines}: {fact.value!r}"
    meds = [m.group(0) for m in MEDICATION.finditer(fact.value) if m.group(0).lower() not in cited_lower]
    if meds:
        return f"medication {', '.join(meds)} not in lines {fact.lines}: {fact.value!r}"
    return None
