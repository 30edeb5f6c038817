"""Keep the de-identification stack offline (no public-suffix-list fetch, no hub)."""

from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=1)
def configure_offline() -> None:
    """Set offline switches and give tldextract a snapshot-only extractor.

    Presidio's URL and email recognizers call ``tldextract``; its default extractor
    fetches the public suffix list on first use and prints a network traceback when
    that fails. An extractor built with ``suffix_list_urls=()`` uses the snapshot
    bundled with the package.
    """
    for key, value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}.items():
        os.environ.setdefault(key, value)
    try:
        import tldextract
        import tldextract.tldextract as tld_module
    except ImportError:  # pragma: no cover - tldextract comes with presidio
        return
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tld_module.TLD_EXTRACTOR = offline
    tldextract.extract = offline  # type: ignore[assignment]
