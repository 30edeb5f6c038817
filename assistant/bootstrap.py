"""First-start preparation of the embedded defaults (data folder, sample policies)."""

from __future__ import annotations

import logging
from pathlib import Path

from assistant.runtime import Runtime
from assistant.settings import Settings

log = logging.getLogger(__name__)
SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "retrieval" / "corpus"


def bootstrap(settings: Settings) -> None:
    """Create the data directory and load the sample payer policies on first start."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not settings.load_sample_policies:
        return
    runtime = Runtime(settings)
    try:
        load_sample_policies(runtime)
    finally:
        runtime.close()


def load_sample_policies(runtime: Runtime) -> int:
    """Ingest the sample corpus when the policy store is empty; returns chunks added."""
    from retrieval.ingest import ingest_paths

    store = runtime.policy_store
    if store.list_policies() or not SAMPLE_CORPUS.is_dir():
        return 0
    reports = ingest_paths(store, [SAMPLE_CORPUS], progress=True)
    added = sum(r.chunks for r in reports if r.status == "added")
    log.info("loaded %d sample policy versions (%d chunks)", len(reports), added)
    return added
