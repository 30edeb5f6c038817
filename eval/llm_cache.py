"""A persistent response cache for LLM evaluation runs, on litellm's own caching path.

litellm hashes each request (model, messages, response format, temperature, max tokens and
the other completion parameters) into a cache key and looks the key up before calling the
model; only the storage is Parity's. litellm removed its disk backend, so the in-memory
backend of ``litellm.Cache(type="local")`` is swapped for :class:`DiskCache`, a
``diskcache`` (SQLite) store under ``var/eval/llm-cache/``. Re-running an evaluation
against the same model and prompts then costs no model calls.

Enabled by ``PARITY_EVAL_LLM_CACHE=1`` or by ``parity eval all`` when an LLM is configured.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CACHE_DIR = Path("var/eval/llm-cache")
ENV_FLAG = "PARITY_EVAL_LLM_CACHE"


def _disk_cache_class() -> Any:
    """The backend class, built on first use.

    Importing litellm's caching modules changes litellm's behaviour process-wide (other callers' mock
    responses), so that happens only when caching is asked for.
    """
    import diskcache
    from litellm.caching.base_cache import BaseCache

    class DiskCache(BaseCache):  # type: ignore[misc]
        """litellm cache backend storing responses in a ``diskcache`` folder; entries never expire."""

        def __init__(self, directory: Path) -> None:
            """Open (or create) the store in ``directory``."""
            super().__init__(default_ttl=0)
            directory.mkdir(parents=True, exist_ok=True)
            self.directory = directory
            self.store = diskcache.Cache(str(directory))

        def set_cache(self, key: str, value: Any, **kwargs: Any) -> None:
            """Store ``value`` under ``key``."""
            self.store.set(key, value)

        async def async_set_cache(self, key: str, value: Any, **kwargs: Any) -> None:
            """Store ``value`` under ``key``."""
            self.set_cache(key, value)

        async def async_set_cache_pipeline(self, cache_list: list[tuple[str, Any]], **kwargs: Any) -> None:
            """Store several ``(key, value)`` pairs."""
            for key, value in cache_list:
                self.set_cache(key, value)

        def get_cache(self, key: str, **kwargs: Any) -> Any:
            """The stored value, or None."""
            return self.store.get(key)

        async def async_get_cache(self, key: str, **kwargs: Any) -> Any:
            """The stored value, or None."""
            return self.get_cache(key)

        def batch_get_cache(self, keys: list[str], **kwargs: Any) -> list[Any]:
            """The stored values of ``keys`` (None where absent)."""
            return [self.get_cache(k) for k in keys]

        async def async_batch_get_cache(self, keys: list[str], **kwargs: Any) -> list[Any]:
            """The stored values of ``keys`` (None where absent)."""
            return self.batch_get_cache(keys)

        def flush_cache(self) -> None:
            """Remove every entry."""
            self.store.clear()

        async def disconnect(self) -> None:
            """Close the store."""
            self.store.close()

        def __len__(self) -> int:
            """Number of stored responses."""
            return len(self.store)

    return DiskCache


def cache_requested() -> bool:
    """Whether ``PARITY_EVAL_LLM_CACHE`` asks for the cache."""
    return os.environ.get(ENV_FLAG, "").strip().lower() in {"1", "true", "yes", "on"}


def enable_llm_cache(directory: Path = CACHE_DIR) -> Any:
    """Route every litellm completion through the disk cache in ``directory``.

    Args:
        directory: Where the responses are stored.

    Returns:
        The backend, for inspection (``len(backend)`` is the number of stored responses).
    """
    import litellm
    from litellm.types.caching import LiteLLMCacheType

    cache = litellm.Cache(type=LiteLLMCacheType.LOCAL)
    backend = _disk_cache_class()(directory)
    cache.cache = backend
    litellm.cache = cache
    return backend


def disable_llm_cache() -> None:
    """Stop caching litellm completions."""
    import litellm

    litellm.disable_cache()
