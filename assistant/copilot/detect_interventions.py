"""Detector for the interventions element: a named technique delivered in this session."""

from __future__ import annotations

import re
from typing import Any

from assistant.copilot.detect_clinical import owned_elsewhere
from assistant.copilot.findings import Finding
from assistant.copilot.segments import NoteDoc, Segment
from assistant.copilot.techniques import SUPPORTIVE, delivered_techniques


def detect_interventions(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """A named therapeutic technique; only "supportive therapy" or "processed feelings" is partial."""
    named = [
        seg for seg in doc.segments
        if delivered_techniques(seg.text) and not _is_plan_only(seg) and not owned_elsewhere(seg, "interventions")
    ]
    if named:
        return Finding("met", named[:4], "named interventions")
    generic = [seg for seg in doc.segments if SUPPORTIVE.search(seg.text)]
    if generic:
        return Finding("partial", generic[:2], "only generic support documented; name the technique")
    return Finding.missing("no therapeutic intervention named")


def _is_plan_only(seg: Segment) -> bool:
    return seg.section == "plan" and bool(_PLAN_WORDS.search(seg.text))


_PLAN_WORDS = re.compile(r"\b(?:will|next|continue|plan|weekly|daily|starting|visit|return|homework|at\s+home)\b", re.IGNORECASE)
