"""Ingest policy files: parse, merge metadata (file + flags), validate, index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from retrieval.models import PolicyMeta, Section
from retrieval.parsing import PolicyFormatError, read_bytes
from retrieval.policy_store import IngestReport, PolicyStore

SUFFIXES = (".md", ".markdown", ".html", ".htm", ".pdf", ".txt")


class PolicyRejectedError(ValueError):
    """A document that cannot be ingested; the message names the file and the problem."""


def prepare(
    data: bytes, name: str, overrides: dict[str, Any] | None = None
) -> tuple[PolicyMeta, list[Section]]:
    """Parse and validate one document without touching the store."""
    suffix = Path(name).suffix.lower()
    try:
        found, sections, _ = read_bytes(data, name, suffix)
    except PolicyFormatError as exc:
        raise PolicyRejectedError(f"{name}: {exc}") from exc
    merged = {**found, **{k: v for k, v in (overrides or {}).items() if v not in (None, [], "")}}
    if not merged.get("payer"):
        raise PolicyRejectedError(f"{name}: no payer (front matter 'payer:' or --payer)")
    for key in ("policy_id", "version", "effective_from", "title"):
        if not merged.get(key):
            raise PolicyRejectedError(f"{name}: missing '{key}' (front matter or flag)")
    try:
        meta = PolicyMeta.model_validate(merged)
    except ValidationError as exc:
        err = exc.errors(include_input=False)[0]
        loc = ".".join(str(p) for p in err.get("loc", ())) or "metadata"
        raise PolicyRejectedError(f"{name}: {loc}: {err.get('msg')}") from None
    if not sections:
        raise PolicyRejectedError(f"{name}: no text found")
    return meta, sections


def ingest_bytes(
    store: PolicyStore,
    data: bytes,
    name: str,
    overrides: dict[str, Any] | None = None,
    progress: bool = False,
) -> IngestReport:
    """Validate and index one document."""
    meta, sections = prepare(data, name, overrides)
    return store.ingest(meta, sections, progress=progress)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files named directly, and supported files inside named folders (sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.name != "README.md")
            )
        else:
            out.append(path)
    return out


def ingest_paths(
    store: PolicyStore, paths: list[Path], overrides: dict[str, Any] | None = None, progress: bool = False
) -> list[IngestReport]:
    """Validate every file first, then index them; a bad file stops the run before any write."""
    prepared = []
    for path in expand_paths(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PolicyRejectedError(f"{path}: cannot read ({exc.strerror})") from exc
        prepared.append(prepare(data, path.name, overrides))
    return [store.ingest(meta, sections, progress=progress) for meta, sections in prepared]
