"""Calibrate the co-pilot's similarity layer on the dev and ablation sets.

For every element the patterns call ``missing``, the best similarity of any note sentence
to the element's description and examples is recorded with the gold label. A threshold is
kept only when rescuing those above it (``missing`` → ``partial``, "confirm this sentence")
raises that element's strict missing-detection F1 on the calibration cases by at least
``--min-gain``; otherwise the element gets no threshold and the layer leaves it alone.
The result is written to ``assistant/copilot/calibration.yaml`` with the data it came from.

    .venv/bin/python -m eval.calibrate_copilot [--min-gain 0.02] [--dry-run]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import sys
from collections import defaultdict
from typing import Any

import yaml

from assistant.copilot.detectors import DETECTORS
from assistant.copilot.rulepacks import get_registry
from assistant.copilot.segments import segment_note
from assistant.copilot.similarity import CALIBRATION, CachedEmbedder, SimilarityLayer
from eval.suites.copilot import DEV, ablations, load_rows, request_of
from guardrails.deid import get_deidentifier
from retrieval.embeddings import default_embedder


def _f1(pairs: list[tuple[str, str]]) -> float:
    tp = sum(1 for g, p in pairs if g == "missing" and p == "missing")
    fp = sum(1 for g, p in pairs if g != "missing" and p == "missing")
    fn = sum(1 for g, p in pairs if g == "missing" and p != "missing")
    return 2 * tp / (2 * tp + fp + fn) if tp else (1.0 if not fp and not fn else 0.0)


def collect() -> dict[str, list[tuple[str, str, float]]]:
    """Per element: (gold, pattern status, best similarity) over dev + ablation cases."""
    rows = load_rows(DEV)
    layer = SimilarityLayer(CachedEmbedder(default_embedder()), {})
    deid = get_deidentifier()
    registry = get_registry()
    out: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    cases = [(row, row["note"], row["labels"]) for row in rows]
    cases += [(c["row"], c["note"], {k: ("missing" if v == "gap" else v) for k, v in c["expected"].items()}) for c in ablations(rows)]
    for row, note, labels in cases:
        request = request_of(row, note)
        pack = registry.resolve(request.payer, request.date)
        doc = segment_note(deid.deidentify(note).text)
        rules = pack.elements_for([request.cpt, *request.addons])
        for element, gold in labels.items():
            rule = rules.get(element)
            if rule is None:
                continue
            status = DETECTORS[element](doc, {**rule.options, "modality": request.modality}).status
            score = layer.best_match(element, rule, doc)[0] if status == "missing" else 0.0
            out[element].append((gold, status, score))
    return out


def calibrate(data: dict[str, list[tuple[str, str, float]]], min_gain: float) -> tuple[dict[str, float | None], dict[str, Any]]:
    """Thresholds per element and the before/after F1 that justified them."""
    thresholds: dict[str, float | None] = {}
    evidence: dict[str, Any] = {}
    for element, rows in sorted(data.items()):
        base = _f1([(g, p) for g, p, _ in rows])
        best_t, best_f1 = None, base
        for t in sorted({round(s, 3) for _, p, s in rows if p == "missing"}):
            f1 = _f1([(g, "partial" if p == "missing" and s >= t else p) for g, p, s in rows])
            if f1 > best_f1 + 1e-9:
                best_t, best_f1 = t, f1
        keep = best_t is not None and best_f1 - base >= min_gain
        thresholds[element] = best_t if keep else None
        evidence[element] = {"cases": len(rows), "missing_f1_patterns": round(base, 3),
                             "missing_f1_with_similarity": round(best_f1 if keep else base, 3)}
    return thresholds, evidence


def main(argv: list[str] | None = None) -> int:
    """Calibrate, print the comparison and write the thresholds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-gain", type=float, default=0.02)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    data = asyncio.run(asyncio.to_thread(collect))
    thresholds, evidence = calibrate(data, args.min_gain)
    for element, e in evidence.items():
        t = thresholds[element]
        sys.stdout.write(f"{element:32s} missing-F1 patterns {e['missing_f1_patterns']:.3f} → with similarity "
                         f"{e['missing_f1_with_similarity']:.3f}  threshold {t if t is not None else 'off'}\n")
    if not args.dry_run:
        payload = {
            "calibrated_on": dt.date.today().isoformat(),
            "dataset_sha256": hashlib.sha256(DEV.read_bytes()).hexdigest(),
            "embedder": "all-MiniLM-L6-v2",
            "min_gain": args.min_gain,
            "thresholds": thresholds,
            "evidence": evidence,
        }
        CALIBRATION.write_text(
            "# Written by `python -m eval.calibrate_copilot`; do not edit by hand.\n" + yaml.safe_dump(payload, sort_keys=False),
            encoding="utf-8",
        )
        sys.stdout.write(f"wrote {CALIBRATION}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
