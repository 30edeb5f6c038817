"""First-start preparation of the embedded defaults (data folder, database)."""

from __future__ import annotations

import logging

from assistant.settings import Settings

log = logging.getLogger(__name__)


def bootstrap(settings: Settings) -> None:
    """Create the data directory; later steps load the sample data on first start."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log.info("data directory ready at %s", settings.data_dir)
