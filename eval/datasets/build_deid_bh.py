r"""Build the behavioral-health de-identification evaluation set.

Reads the hand-written source ``deid_bh_source.yaml`` (a YAML list of documents,
each ``{id, kind, text}``) in which every PHI value is marked inline as
``[[TYPE|surface text]]``.  The markup is stripped, exact character offsets
into the clean text are computed, and one JSON object per document is written
to ``deid_bh.jsonl``::

    {"id": ..., "kind": ..., "text": ..., "spans": [{"type", "start", "end", "value"}]}

Offsets are Python ``str`` indices (Unicode code points), end-exclusive, so
``text[start:end] == value`` holds for every span (asserted while building).
Output is deterministic: documents keep source order, spans are sorted by
offset, and JSON is serialized with fixed key order and ``\\n`` line endings.

Usage::

    python eval/datasets/build_deid_bh.py [--source PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, TypedDict

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE / "deid_bh_source.yaml"
DEFAULT_OUT = HERE / "deid_bh.jsonl"

ENTITY_TYPES: frozenset[str] = frozenset(
    {
        "PERSON",
        "ADDRESS",
        "LOCATION",
        "ZIP",
        "DATE",
        "AGE",
        "PHONE",
        "EMAIL",
        "SSN",
        "MRN",
        "MEMBER_ID",
        "ACCOUNT",
        "LICENSE",
        "VEHICLE",
        "DEVICE",
        "URL",
        "IP_ADDRESS",
        "ID",
        "ORGANIZATION",
    }
)
DOC_KINDS: frozenset[str] = frozenset({"transcript", "note", "denial", "intake", "email"})

# ``[[TYPE|surface]]``: the surface may not contain "|" or "]]" and may not span lines.
MARKUP_RE = re.compile(r"\[\[([A-Z_]+)\|([^|\]\n]+?)\]\]")


class Span(TypedDict):
    """One PHI span in the clean text (end-exclusive character offsets)."""

    type: str
    start: int
    end: int
    value: str


class Document(TypedDict):
    """One evaluation document with its gold spans."""

    id: str
    kind: str
    text: str
    spans: list[Span]


class SourceError(ValueError):
    """Raised when the source YAML is malformed."""


def strip_markup(doc_id: str, marked: str) -> tuple[str, list[Span]]:
    """Remove ``[[TYPE|value]]`` markup and return the clean text with its spans."""
    parts: list[str] = []
    spans: list[Span] = []
    cursor = 0
    length = 0
    for match in MARKUP_RE.finditer(marked):
        etype, value = match.group(1), match.group(2)
        if etype not in ENTITY_TYPES:
            raise SourceError(f"{doc_id}: unknown entity type {etype!r}")
        if value != value.strip():
            raise SourceError(f"{doc_id}: span {value!r} has leading/trailing whitespace")
        before = marked[cursor : match.start()]
        parts.append(before)
        length += len(before)
        spans.append({"type": etype, "start": length, "end": length + len(value), "value": value})
        parts.append(value)
        length += len(value)
        cursor = match.end()
    parts.append(marked[cursor:])
    text = "".join(parts)
    if "[[" in text or "]]" in text:
        raise SourceError(f"{doc_id}: unbalanced or malformed markup left in text")
    for span in spans:
        assert text[span["start"] : span["end"]] == span["value"], (doc_id, span)
    return text, spans


def load_source(path: Path) -> list[dict[str, Any]]:
    """Load and minimally validate the source YAML list."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, list):
        raise SourceError(f"{path}: top level must be a list of documents")
    seen: set[str] = set()
    for entry in data:
        if not isinstance(entry, dict) or set(entry) != {"id", "kind", "text"}:
            raise SourceError(f"{path}: each document needs exactly id, kind, text: {entry!r}")
        if entry["id"] in seen:
            raise SourceError(f"{path}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        if entry["kind"] not in DOC_KINDS:
            raise SourceError(f"{entry['id']}: unknown kind {entry['kind']!r}")
        if not isinstance(entry["text"], str):
            raise SourceError(f"{entry['id']}: text must be a string")
    return data


def build_documents(source: list[dict[str, Any]]) -> list[Document]:
    """Convert source entries into documents with offset spans."""
    docs: list[Document] = []
    for entry in source:
        text, spans = strip_markup(str(entry["id"]), str(entry["text"]))
        docs.append({"id": str(entry["id"]), "kind": str(entry["kind"]), "text": text, "spans": spans})
    return docs


def render_jsonl(docs: list[Document]) -> str:
    """Serialize documents as deterministic JSON Lines."""
    lines = [json.dumps(doc, ensure_ascii=False, separators=(", ", ": ")) for doc in docs]
    return "\n".join(lines) + "\n"


def summarize(docs: list[Document]) -> str:
    """Return a human-readable summary: documents per kind and spans per type."""
    kinds = Counter(doc["kind"] for doc in docs)
    types = Counter(span["type"] for doc in docs for span in doc["spans"])
    out = [f"documents: {len(docs)}"]
    out += [f"  {kind:<12} {kinds[kind]}" for kind in sorted(kinds)]
    out.append(f"spans: {sum(types.values())}")
    out += [f"  {etype:<12} {types[etype]}" for etype in sorted(ENTITY_TYPES)]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Build ``deid_bh.jsonl`` from the source YAML and write a summary to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    docs = build_documents(load_source(args.source))
    args.out.write_text(render_jsonl(docs), encoding="utf-8", newline="\n")
    sys.stdout.write(f"wrote {args.out}\n")
    sys.stdout.write(summarize(docs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
