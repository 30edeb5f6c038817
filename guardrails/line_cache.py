"""De-identification that re-analyzes only the lines that changed.

A clinician's note is re-checked on every edit; analyzing the whole note again each time
would spend most of the check in the NER model. :class:`LineCachedDeidentifier` keeps the
PHI spans found in each line (keyed by a hash of the line, never the text itself) and
sends only new lines to the analyzer, in one batch. Placeholders are then assigned over
the whole note, so they stay consistent across lines.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from guardrails.deid import Deidentifier, DeidResult
from guardrails.entities import Entity
from guardrails.pseudonymize import CaseMap, pseudonymize


def _key(line: str) -> bytes:
    return hashlib.blake2b(line.encode("utf-8"), digest_size=16).digest()


class LineCachedDeidentifier:
    """Wraps a :class:`Deidentifier`; same ``deidentify`` result shape."""

    def __init__(self, deidentifier: Deidentifier, size: int = 50_000) -> None:
        """Cache the spans of up to ``size`` distinct lines."""
        self.deidentifier = deidentifier
        self.size = size
        self._spans: OrderedDict[bytes, list[Entity]] = OrderedDict()

    def analyze(self, text: str) -> list[Entity]:
        """PHI spans of ``text`` (offsets into it), from the cache where a line was seen before."""
        lines = text.split("\n")
        starts, pos = [], 0
        for line in lines:
            starts.append(pos)
            pos += len(line) + 1
        todo = [i for i, line in enumerate(lines) if line.strip() and _key(line) not in self._spans]
        if todo:
            batch = "\n".join(lines[i] for i in todo)
            found = self.deidentifier.analyze(batch)
            offset = 0
            per_line: dict[int, list[Entity]] = {i: [] for i in todo}
            bounds = []
            for i in todo:
                bounds.append((i, offset, offset + len(lines[i])))
                offset += len(lines[i]) + 1
            for ent in found:
                for i, lo, hi in bounds:
                    if lo <= ent.start < hi:
                        per_line[i].append(ent.model_copy(update={"start": ent.start - lo, "end": min(ent.end, hi) - lo}))
                        break
            for i in todo:
                self._spans[_key(lines[i])] = per_line[i]
                if len(self._spans) > self.size:
                    self._spans.popitem(last=False)
        out: list[Entity] = []
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            key = _key(line)
            self._spans.move_to_end(key)
            out.extend(e.model_copy(update={"start": e.start + starts[i], "end": e.end + starts[i]}) for e in self._spans[key])
        return out

    def deidentify(self, text: str, case_map: CaseMap | None = None) -> DeidResult:
        """Pseudonymize ``text`` like :meth:`Deidentifier.deidentify`."""
        entities = self.analyze(text)
        case_map = case_map or CaseMap()
        new_text, placed = pseudonymize(text, entities, case_map, self.deidentifier.config.placeholders)
        return DeidResult(text=new_text, entities=placed, case_map=case_map)
