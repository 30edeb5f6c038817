"""``parity eval copilot``: per-element gap detection, code checks and suggestion grounding.

Two sets, scored the same way:

* **dev** — ``eval/datasets/copilot_notes.jsonl``: labelled notes (all formats, codes, payers).
* **ablation** — built from every *complete* dev note: for each element, every sentence holding
  one of its gold evidence quotes is cut out of the note, so that element must turn red. The
  evidence lists *every* passage that meets an element (a measured trend in a symptom line is
  also ``response_progress`` evidence), so no sentence that still meets it survives the cut.
  Elements whose evidence (and the evidence they depend on) was untouched keep their label;
  the others are not scored. The cut sentences become a short transcript, so the suggestion
  for the red element can be filled from it.

An element is a *gap* when it is not met (missing or partial): that is what the clinician
must act on. Per element: precision / recall / F1 of gap detection, plus strict ``missing``
F1 and 3-way accuracy. Code checks are right when status and suggested code match. A
suggestion "invents a fact" when it holds a number, name or clinical term found in neither
the note, the transcript nor its own template.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from assistant.copilot.checker import NoteChecker
from assistant.copilot.models import CheckRequest, CheckResponse
from assistant.copilot.rulepacks import get_registry
from assistant.copilot.segments import segment_note
from assistant.copilot.similarity import SimilarityLayer
from assistant.copilot.suggestions import FACT_VOCABULARY, own_words, strip_provenance
from eval.runner import DATASETS_DIR, SuiteOptions, SuiteReport
from guardrails.deid import get_deidentifier
from guardrails.grounding import ungrounded

DEV = DATASETS_DIR / "copilot_notes.jsonl"
QUICK_N = 30
# an element whose status depends on another's evidence ("diagnosis" needs documented symptoms): when a
# cut breaks the evidence it depends on, its label after the cut is unknown and it is not scored
DEPENDS_ON = {"diagnosis": ("symptoms_severity",)}


def load_rows(path: Path) -> list[dict[str, Any]]:
    """The labelled notes."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def request_of(row: dict[str, Any], note: str | None = None, transcript: str | None = None) -> CheckRequest:
    """The check request a row describes."""
    return CheckRequest(
        note=note if note is not None else row["note"], cpt=row["cpt"], addons=row.get("addons", []),
        payer=row.get("payer"), minutes=row.get("minutes"), date=row.get("date"), modality=row.get("modality"),
        pos=row.get("pos"), modifiers=row.get("modifiers", []), transcript=transcript,
    )


def ablations(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One case per (complete note, element): the sentences holding the element's evidence cut out of the note."""
    cases = []
    for row in rows:
        labels = row["labels"]
        if any(v != "met" for v in labels.values()):
            continue
        segments = segment_note(row["note"]).segments
        for element, quotes in row["evidence"].items():
            # delete every sentence that holds part of the element's evidence, keeping the rest verbatim
            spans = [(m.start(), m.end()) for q in quotes for m in [re.search(re.escape(q), row["note"])] if m]
            cut = [(s.start, s.end) for s in segments if any(s.start < b and a < s.end for a, b in spans)] + spans
            note = "".join(ch for i, ch in enumerate(row["note"]) if not any(a <= i < b for a, b in cut))
            expected = {element: "gap"}
            intact = {other for other, other_quotes in row["evidence"].items() if all(q in note for q in other_quotes)}
            for other in row["evidence"]:
                if other != element and other in intact and all(dep in intact for dep in DEPENDS_ON.get(other, ())):
                    expected[other] = labels[other]
            transcript = "\n".join(f"Client: {row['note'][a:b]}" for a, b in sorted(set(cut)))
            cases.append({"id": f"{row['id']}-without-{element}", "row": row, "note": note, "transcript": transcript,
                          "expected": expected, "target": element})
    return cases


def _gap(label: str) -> bool:
    return label != "met"


class _Tally:
    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, element: str, gold: str, predicted: str) -> None:
        c = self.counts[element]
        gold_gap = gold == "gap" or _gap(gold)
        c["n"] += 1
        c["tp"] += gold_gap and _gap(predicted)
        c["fp"] += (not gold_gap) and _gap(predicted)
        c["fn"] += gold_gap and not _gap(predicted)
        if gold != "gap":
            c["n3"] += 1
            c["exact"] += gold == predicted
            c["mtp"] += gold == "missing" and predicted == "missing"
            c["mfp"] += gold != "missing" and predicted == "missing"
            c["mfn"] += gold == "missing" and predicted != "missing"

    def report(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for element, c in sorted(self.counts.items()):
            p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
            r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
            mp = c["mtp"] / (c["mtp"] + c["mfp"]) if c["mtp"] + c["mfp"] else 1.0
            mr = c["mtp"] / (c["mtp"] + c["mfn"]) if c["mtp"] + c["mfn"] else 1.0
            out[element] = {
                "n": c["n"], "gaps": c["tp"] + c["fn"], "precision": round(p, 3), "recall": round(r, 3),
                "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                "missing_f1": round(2 * mp * mr / (mp + mr), 3) if mp + mr else 0.0,
                "accuracy_3way": round(c["exact"] / c["n3"], 3) if c["n3"] else None,
            }
        return out


def _code_checks_right(row: dict[str, Any], result: CheckResponse) -> tuple[int, int, list[str]]:
    got = {c.check: c for c in result.code_checks}
    right, wrong = 0, []
    for gold in row.get("code_checks", []):
        pred = got.get(gold["check"])
        ok = pred is not None and pred.status == gold["expected"]
        if ok and gold["expected"] == "fail" and "suggested_code" in gold:
            ok = pred is not None and pred.suggested_code == gold["suggested_code"]
        right += ok
        if not ok:
            wrong.append(f"{gold['check']}: expected {gold['expected']}/{gold.get('suggested_code')}, got "
                         f"{pred.status if pred else 'none'}/{pred.suggested_code if pred else None}")
    return right, len(row.get("code_checks", [])), wrong


def _invented(result: CheckResponse, sources: list[str], templates: dict[str, list[str]]) -> list[str]:
    bad = []
    for item in result.items:
        if item.suggestion and ungrounded(strip_provenance(item.suggestion), sources, FACT_VOCABULARY, allowed=templates.get(item.element, [])):
            bad.append(item.element)
    return bad


def build_checker(similarity: SimilarityLayer | None = None) -> NoteChecker:
    """The checker as ``parity check`` builds it, without a policy store (citations are not scored)."""
    return NoteChecker(get_registry(), get_deidentifier(), similarity=similarity)


def run(options: SuiteOptions, checker: NoteChecker | None = None) -> SuiteReport:
    """Score the checker on the dev and ablation sets."""
    rows = load_rows(options.dataset or DEV)
    if options.quick:
        rows = rows[:QUICK_N]
    if options.limit:
        rows = rows[:options.limit]
    checker = checker or build_checker()
    started = time.perf_counter()
    tallies = {"dev": _Tally(), "ablation": _Tally(), "all": _Tally()}
    checks_right = checks_total = suggestions = invented = filled = targets = 0
    cases: list[dict[str, Any]] = []

    async def go() -> None:
        nonlocal checks_right, checks_total, suggestions, invented, filled, targets
        for row in rows:
            result = await checker.check(request_of(row))
            templates = {e: own_words(e, r) for e, r in checker.resolve_pack(request_of(row)).elements.items()}
            status = {i.element: i.status for i in result.items}
            errors = []
            for element, gold in row["labels"].items():
                predicted = status.get(element, "missing")
                tallies["dev"].add(element, gold, predicted)
                tallies["all"].add(element, gold, predicted)
                if predicted != gold:
                    errors.append(f"{element}: gold {gold}, got {predicted}")
            right, total, wrong = _code_checks_right(row, result)
            checks_right += right
            checks_total += total
            bad = _invented(result, [row["note"]], templates)
            suggestions += sum(1 for i in result.items if i.suggestion)
            invented += len(bad)
            cases.append({"id": row["id"], "set": "dev", "errors": errors, "code_check_errors": wrong, "invented": bad})
        for case in ablations(rows):
            row = case["row"]
            result = await checker.check(request_of(row, case["note"], case["transcript"]))
            templates = {e: own_words(e, r) for e, r in checker.resolve_pack(request_of(row)).elements.items()}
            items = {i.element: i for i in result.items}
            errors = []
            for element, gold in case["expected"].items():
                predicted = items[element].status if element in items else "missing"
                tallies["ablation"].add(element, gold, predicted)
                tallies["all"].add(element, gold, predicted)
                if (gold == "gap") != _gap(predicted) or (gold != "gap" and gold != predicted):
                    errors.append(f"{element}: expected {gold}, got {predicted}")
            target = items.get(case["target"])
            if target is not None and target.suggestion:
                targets += 1
                filled += bool(target.suggestion_sources)
            bad = _invented(result, [case["note"], case["transcript"]], templates)
            suggestions += sum(1 for i in result.items if i.suggestion)
            invented += len(bad)
            cases.append({"id": case["id"], "set": "ablation", "errors": errors, "invented": bad})

    asyncio.run(go())
    per_element = tallies["all"].report()
    macro = sum(v["f1"] for v in per_element.values()) / len(per_element)
    metrics = {
        "macro_f1": round(macro, 3),
        "macro_f1_dev": round(_macro(tallies["dev"].report()), 3),
        "macro_f1_ablation": round(_macro(tallies["ablation"].report()), 3),
        "macro_missing_f1_dev": round(sum(v["missing_f1"] for v in tallies["dev"].report().values()) / max(1, len(tallies["dev"].report())), 3),
        "per_element": per_element,
        "per_element_dev": tallies["dev"].report(),
        "per_element_ablation": tallies["ablation"].report(),
        "code_check_accuracy": round(checks_right / checks_total, 3) if checks_total else None,
        "code_checks": checks_total,
        "suggestions": suggestions,
        "invented_fact_share": round(invented / suggestions, 4) if suggestions else 0.0,
        "ablation_suggestions_from_transcript": round(filled / targets, 3) if targets else None,
        "notes": len(rows),
        "ablation_cases": sum(1 for c in cases if c["set"] == "ablation"),
        "seconds": round(time.perf_counter() - started, 1),
    }
    return SuiteReport(suite="copilot", n=len(cases), metrics=metrics, cases=cases)


def _macro(report: dict[str, Any]) -> float:
    return sum(v["f1"] for v in report.values()) / len(report) if report else 0.0
