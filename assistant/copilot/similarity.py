"""Similarity layer: note sentences compared with each element's description and examples.

Runs only where the patterns found nothing (a ``missing`` element), over sentences of four
words or more, with the packaged all-MiniLM-L6-v2 embedder; sentence vectors are cached by
text, so a re-check after an edit embeds only the edited sentences. Thresholds per element
are calibrated on the dev set (``parity eval copilot --calibrate``) and stored in
``calibration.yaml``; an element without a threshold is never rescued by similarity, and
then the layer costs nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray

from assistant.copilot.findings import Finding
from assistant.copilot.rulepacks import ElementRule
from assistant.copilot.segments import NoteDoc, Segment

CALIBRATION = Path(__file__).with_name("calibration.yaml")
MIN_WORDS = 4


class CachedEmbedder:
    """An embedder with a bounded cache of sentence vectors."""

    def __init__(self, embedder: Any, size: int = 8192) -> None:
        """Wrap ``embedder`` (anything with ``embed(list[str]) -> array``)."""
        self.embedder = embedder
        self.size = size
        self._cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        """Unit vectors, one per text; only texts not seen before reach the model."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if todo:
            for text, vec in zip(todo, self.embedder.embed(todo), strict=True):
                self._cache[text] = vec
                if len(self._cache) > self.size:
                    self._cache.popitem(last=False)
        for t in texts:
            self._cache.move_to_end(t)
        return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def load_thresholds(path: Path = CALIBRATION) -> dict[str, float]:
    """Calibrated thresholds per element (elements absent: layer off)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {k: float(v) for k, v in (data.get("thresholds") or {}).items() if v is not None}


class SimilarityLayer:
    """Rescues an element the patterns missed when a sentence is close to its examples."""

    def __init__(self, embedder: CachedEmbedder, thresholds: dict[str, float]) -> None:
        """``thresholds``: minimum cosine per element; elements without one are left alone."""
        self.embedder = embedder
        self.thresholds = thresholds
        self._exemplars: dict[str, NDArray[np.float32]] = {}

    def _exemplar_vectors(self, element: str, rule: ElementRule) -> NDArray[np.float32]:
        key = f"{element}|{rule.description}|{'|'.join(rule.examples)}"
        if key not in self._exemplars:
            self._exemplars[key] = self.embedder.embed([rule.description, *rule.examples])
        return self._exemplars[key]

    def best_match(self, element: str, rule: ElementRule, doc: NoteDoc) -> tuple[float, Segment | None]:
        """Highest similarity of any sentence to the element's exemplars, and that sentence."""
        segments = [s for s in doc.segments if len(s.text.split()) >= MIN_WORDS]
        if not segments:
            return 0.0, None
        sims = self.embedder.embed([s.text for s in segments]) @ self._exemplar_vectors(element, rule).T
        best = sims.max(axis=1)
        idx = int(best.argmax())
        return float(best[idx]), segments[idx]

    def rescue(self, element: str, rule: ElementRule, doc: NoteDoc, finding: Finding) -> Finding:
        """A partial finding from the closest sentence when it clears the calibrated threshold."""
        threshold = self.thresholds.get(element)
        if threshold is None or finding.status != "missing":
            return finding
        score, seg = self.best_match(element, rule, doc)
        if seg is None or score < threshold:
            return finding
        return Finding("partial", [seg], f"a sentence resembles this element (similarity {score:.2f}); confirm it", "similarity")


@lru_cache(maxsize=1)
def get_similarity_layer() -> SimilarityLayer:
    """The process-wide layer (static vectors load once)."""
    from retrieval.embeddings import default_embedder

    return SimilarityLayer(CachedEmbedder(default_embedder()), load_thresholds())
