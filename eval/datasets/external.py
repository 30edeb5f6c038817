"""Loaders for the external data sets in ``../shared/data`` (read-only, offline)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path


def shared_data_dir() -> Path:
    """``PARITY_SHARED_DATA`` or the ``shared/data`` folder beside the repository."""
    env = os.environ.get("PARITY_SHARED_DATA")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    return repo.parent / "shared" / "data"


@dataclass
class AsqQuery:
    """One ASQ-PHI query with its PHI values (no offsets in the source)."""

    text: str
    values: list[tuple[str, str]]


def load_asq_phi(path: Path | None = None) -> list[AsqQuery]:
    """Parse ``synthetic_clinical_queries.txt`` (===QUERY=== / ===PHI_TAGS=== blocks)."""
    path = path or shared_data_dir() / "asq-phi" / "synthetic_clinical_queries.txt"
    queries: list[AsqQuery] = []
    for block in path.read_text(encoding="utf-8").split("===QUERY===")[1:]:
        query, _, tags = block.partition("===PHI_TAGS===")
        values = []
        for line in tags.strip().splitlines():
            line = line.strip()
            if line.startswith("{"):
                tag = json.loads(line)
                values.append((str(tag["identifier_type"]), str(tag["value"])))
        queries.append(AsqQuery(text=query.strip(), values=values))
    return queries


def load_presidio_synth(path: Path | None = None) -> list[dict[str, object]]:
    """presidio-research ``synth_dataset_v2.json`` records."""
    path = path or shared_data_dir() / "presidio-research" / "synth_dataset_v2.json"
    data: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))
    return data
