"""Half of a long note's detectors run in the helper process while this process runs the rest.

After de-identification a first check of a 1,500-word note spends ~30 ms in the element
detectors, all of it holding the GIL, while the de-identification helper process
(:mod:`guardrails.parallel`) waits idle on the other core. :func:`detect` sends it the
de-identified note and the elements in :data:`OFFLOADED` (about half of the detectors' time,
measured per element), runs the others here on the same segmentation, and merges. Findings
are the same as in one process: the helper segments the same text with the same code. When
the helper is not up, the note is short, or the helper fails, everything runs here.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Protocol

from assistant.copilot.detectors import DETECTORS
from assistant.copilot.findings import Finding
from assistant.copilot.segments import NoteDoc, segment_note

log = logging.getLogger(__name__)

OFFLOADED = frozenset({"response_progress", "risk_assessment", "functional_impairment", "crisis_elements"})
"""Elements whose detectors run in the helper (the other half: diagnosis, interventions, time …).

Chosen by measured time on 1,500-word notes: these take ~17 ms there with the helper's own
segmentation, the rest ~16 ms here.
"""

MIN_CHARS = 3000
"""Shorter notes are checked here alone: the round trip would cost more than it saves."""


class PendingWork(Protocol):
    """Work running elsewhere (:class:`guardrails.parallel.Pending`)."""

    def result(self, timeout: float | None = None) -> Any:
        """Wait for it; raises when it failed or took longer than ``timeout`` seconds."""


class Offload(Protocol):
    """Runs a picklable function elsewhere (:meth:`guardrails.parallel.HelperProcess.submit`)."""

    def submit(self, fn: Any, /, *args: Any) -> PendingWork | None:
        """``fn(*args)`` under way, or None when nothing can take it now."""


def detect_elements(clean: str, options: dict[str, dict[str, Any]]) -> dict[str, Finding]:
    """Each element's finding on the de-identified note ``clean`` (what the helper runs)."""
    doc = segment_note(clean)
    return {element: DETECTORS[element](doc, opts) for element, opts in options.items()}


def detect(doc: NoteDoc, options: dict[str, dict[str, Any]], offload: Offload | None) -> dict[str, Finding]:
    """Each element's finding on ``doc``, the :data:`OFFLOADED` ones in the helper when it can take them."""
    remote = {e: o for e, o in options.items() if e in OFFLOADED}
    pending = None
    if offload is not None and remote and len(doc.text) >= MIN_CHARS:
        pending = offload.submit(detect_elements, doc.text, remote)
    try:
        findings = {e: DETECTORS[e](doc, o) for e, o in options.items() if pending is None or e not in remote}
    except BaseException:
        if pending is not None:
            with contextlib.suppress(Exception):
                pending.result()  # the helper's answer is read before giving up (its pipe stays in step)
        raise
    if pending is not None:
        try:
            findings.update(pending.result())
        except Exception:  # any failure of the helper: its elements are detected here
            log.warning("co-pilot detectors failed in the helper process; running them here")
            findings.update({e: DETECTORS[e](doc, o) for e, o in remote.items()})
    return {e: findings[e] for e in options}


def warm(offload: Offload | None, timeout: float = 60.0) -> bool:
    """Load the detectors in the helper now (servers and benchmarks), so a first check does not; True when done."""
    pending = offload.submit(detect_elements, "", {}) if offload is not None else None
    if pending is None:
        return False
    try:
        pending.result(timeout=timeout)
    except Exception:
        log.warning("co-pilot detectors could not be loaded in the helper process; they run here")
        return False
    return True
