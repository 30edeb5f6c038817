"""Turn policy files (Markdown with front matter, HTML, PDF, plain text) into sections.

Sections follow the document's own structure: Markdown/HTML headings, or numbered
headings ("3.2 Extended sessions") in PDF and plain text, whose page is kept.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import yaml

from retrieval.models import Section


class PolicyFormatError(ValueError):
    """A document that cannot be read or has no usable structure."""


_NUMBERED = re.compile(r"^(?P<num>(?:\d+|[A-Z])(?:\.\d+)*)\.?\s+(?P<title>\S.{0,150})$")
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")


def split_heading(text: str) -> tuple[str | None, str]:
    """``"3.2 Extended sessions"`` -> ``("3.2", "Extended sessions")``."""
    m = re.match(r"^(?:Section\s+)?(?P<num>\d+(?:\.\d+)*)\.?\s+(?P<title>.+)$", text.strip())
    if m:
        return m.group("num"), m.group("title").strip()
    return None, text.strip()


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter (``---`` fenced) from a Markdown body."""
    if not text.startswith("---"):
        return {}, text
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise PolicyFormatError("front matter starts with '---' but never ends")
    try:
        data = yaml.safe_load(parts[0].removeprefix("---")) or {}
    except yaml.YAMLError as exc:
        raise PolicyFormatError(f"front matter is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise PolicyFormatError("front matter must be a mapping")
    return data, parts[1].lstrip("\n")


class _Builder:
    """Accumulates sections from a stream of headings and text lines."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.stack: list[tuple[int, str, str | None]] = []  # level, title, number
        self.lines: list[str] = []
        self.page: int | None = None
        self.section_page: int | None = None

    def heading(self, level: int, text: str) -> None:
        self.flush()
        number, title = split_heading(text)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title, number))
        self.section_page = self.page

    def line(self, text: str) -> None:
        if not self.lines and not text.strip():
            return
        if not self.lines:
            self.section_page = self.page
        self.lines.append(text)

    def flush(self) -> None:
        body = "\n".join(self.lines).strip()
        self.lines = []
        if not body:
            return
        if self.stack:
            _, title, number = self.stack[-1]
            path = [t if n is None else f"{n} {t}" for _, t, n in self.stack]
        else:
            title, number, path = "Preamble", None, ["Preamble"]
        self.sections.append(
            Section(number=number, title=title, path=path, text=body, page=self.section_page)
        )


def parse_markdown(body: str) -> list[Section]:
    """Sections of a Markdown body (headings ``#`` to ``######``)."""
    b = _Builder()
    fenced = False
    for raw in body.splitlines():
        if raw.strip().startswith("```"):
            fenced = not fenced
        m = None if fenced else _MD_HEADING.match(raw)
        if m:
            b.heading(len(m.group("hashes")), m.group("text"))
        else:
            b.line(raw)
    b.flush()
    return b.sections


def _numbered_level(line: str) -> int | None:
    """Heading level of a numbered heading line in plain text or PDF, else None."""
    stripped = line.strip()
    m = re.match(r"^(?:Section\s+)?(?P<num>\d+(?:\.\d+){0,4})\.?\s+(?P<title>[A-Z][^.:;]{1,100})$", stripped)
    if not m or len(stripped) > 110 or stripped.endswith((",", ";")):
        return None
    if re.match(r"^\d+\.\s", stripped) and len(m.group("title").split()) > 10:
        return None  # a numbered list item, not a heading
    return m.group("num").count(".") + 1


def parse_plain(pages: list[str]) -> list[Section]:
    """Sections of plain text (one string per page) using numbered headings."""
    b = _Builder()
    for page_no, page in enumerate(pages, start=1):
        b.page = page_no if len(pages) > 1 or page_no > 1 else b.page
        for raw in page.splitlines():
            level = _numbered_level(raw)
            if level is not None:
                b.heading(level, raw.strip())
            else:
                b.line(raw)
    b.flush()
    return b.sections


def parse_html(html: str) -> tuple[dict[str, Any], list[Section]]:
    """Metadata from ``<meta name=...>`` tags and sections from ``<h1>``-``<h6>``."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    meta: dict[str, Any] = {}
    for tag in soup.find_all("meta"):
        name, content = tag.get("name"), tag.get("content")
        if isinstance(name, str) and isinstance(content, str):
            meta[name.strip().lower()] = content.strip()
    if "title" not in meta and soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()
    for bad in soup(["script", "style", "nav", "header", "footer"]):
        bad.decompose()
    b = _Builder()
    body = soup.body or soup
    for el in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre", "blockquote"]):
        if el.name and el.name[0] == "h" and el.name[1:].isdigit():
            b.heading(int(el.name[1]), el.get_text(" ", strip=True))
        elif el.find_parent(["li", "td"]) is None or el.name in ("li", "td"):
            text = el.get_text(" ", strip=True)
            if text:
                prefix = "- " if el.name == "li" else ""
                b.line(prefix + text)
    b.flush()
    return meta, b.sections


def parse_pdf(data: bytes) -> tuple[dict[str, Any], list[Section]]:
    """Text per page with pypdf, then numbered headings; metadata from the PDF info."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise PolicyFormatError(f"unreadable PDF: {type(exc).__name__}") from exc
    if not any(p.strip() for p in pages):
        raise PolicyFormatError("PDF has no extractable text (scanned image?)")
    meta: dict[str, Any] = {}
    info: Any = reader.metadata or {}
    if info.get("/Title"):
        meta["title"] = str(info["/Title"])
    b_sections = parse_plain(pages)
    for s in b_sections:
        s.page = s.page or 1
    return meta, b_sections


def read_document(path: Path) -> tuple[dict[str, Any], list[Section], str]:
    """Parse a file by extension; returns (metadata found in the file, sections, format)."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyFormatError(f"cannot read {path.name}: {exc.strerror}") from exc
    return read_bytes(data, path.name, suffix)


def read_bytes(data: bytes, name: str, suffix: str) -> tuple[dict[str, Any], list[Section], str]:
    """Parse document bytes of a given kind (``.md``, ``.html``, ``.pdf``, ``.txt``)."""
    if suffix == ".pdf":
        meta, sections = parse_pdf(data)
        return meta, sections, "pdf"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyFormatError(f"{name} is not UTF-8 text") from exc
    if suffix in (".md", ".markdown"):
        meta, body = front_matter(text)
        return meta, parse_markdown(body), "markdown"
    if suffix in (".html", ".htm"):
        meta, sections = parse_html(text)
        return meta, sections, "html"
    if suffix in (".txt", ".text", ""):
        meta, body = front_matter(text)
        return meta, parse_plain([body]), "text"
    raise PolicyFormatError(f"unsupported file type {suffix!r} (use .md, .html, .pdf or .txt)")
