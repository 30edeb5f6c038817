"""Readiness check of the de-identification engine."""

from __future__ import annotations


def check_deidentifier() -> tuple[bool, str]:
    """Load the de-identification analyzer and run it once on a known sentence."""
    try:
        from guardrails.deid import get_deidentifier

        found = get_deidentifier().analyze("Call Maria at 555-201-3344.")
    except Exception as exc:  # missing model package, bad configuration
        return False, f"de-identifier unavailable: {type(exc).__name__}"
    types = sorted({e.type for e in found})
    if "PHONE" not in types:
        return False, f"de-identifier self-test missed a phone number (found {types})"
    return True, f"presidio analyzer ready (self-test found {', '.join(types)})"
