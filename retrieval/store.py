"""Qdrant client factory: local mode on disk by default, a server when a URL is given."""

from __future__ import annotations

from pathlib import Path

from qdrant_client import QdrantClient


def open_client(
    url: str | None = None, path: Path | str | None = None, api_key: str | None = None
) -> QdrantClient:
    """Open Qdrant: ``url`` for a server, ``path`` for local mode, ``":memory:"`` for tests."""
    if url:
        return QdrantClient(url=url, api_key=api_key)
    if path is None or str(path) == ":memory:":
        return QdrantClient(":memory:")
    Path(path).mkdir(parents=True, exist_ok=True)
    return QdrantClient(path=str(path))


def check_client(client: QdrantClient) -> tuple[bool, str]:
    """List collections; return ``(ok, detail)``."""
    try:
        names = [c.name for c in client.get_collections().collections]
    except Exception as exc:  # server down, lock held by another process, ...
        return False, f"vector store unavailable: {type(exc).__name__}"
    return True, f"{len(names)} collection(s)"
