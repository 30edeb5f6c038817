"""Chunking of each format keeps section paths and pages; ids are stable."""

from __future__ import annotations

from fpdf import FPDF

from retrieval.chunking import chunk_sections
from retrieval.ingest import prepare
from retrieval.parsing import parse_html, parse_markdown, parse_pdf, parse_plain
from tests.retrieval.conftest import policy_md


def test_markdown_sections_keep_numbers_and_paths() -> None:
    sections = parse_markdown(
        "# 3. Documentation\nIntro.\n## 3.2 Extended sessions\n1. Reason.\n2. Minutes.\n"
    )
    assert [(s.number, s.title) for s in sections] == [("3", "Documentation"), ("3.2", "Extended sessions")]
    assert sections[1].path == ["3 Documentation", "3.2 Extended sessions"]
    assert "2. Minutes." in sections[1].text


def test_html_headings_and_meta() -> None:
    html = """<html><head><title>Policy</title><meta name="payer" content="summit-medicaid"></head>
    <body><h1>1. Coverage</h1><p>Criteria apply.</p><h2>1.1 Telehealth</h2><ul><li>POS 10</li>
    <li>Modifier 95</li></ul><script>x()</script></body></html>"""
    meta, sections = parse_html(html)
    assert meta["payer"] == "summit-medicaid" and meta["title"] == "Policy"
    assert [s.number for s in sections] == ["1", "1.1"]
    assert "- POS 10" in sections[1].text and "x()" not in sections[1].text


def _pdf(pages: list[list[str]]) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_pdf_sections_keep_their_page() -> None:
    data = _pdf(
        [
            ["1 Coverage criteria", "Covered when medically necessary."],
            ["2 Appeals", "File within 60 days.", "2.1 Expedited appeals", "Decided within 72 hours."],
        ]
    )
    _, sections = parse_pdf(data)
    assert [(s.number, s.page) for s in sections] == [("1", 1), ("2", 2), ("2.1", 2)]
    assert sections[2].path == ["2 Appeals", "2.1 Expedited appeals"]


def test_plain_text_numbered_headings() -> None:
    sections = parse_plain(["1. Scope\nApplies to 90834.\n1.1 Exclusions\nNone listed here today.\n"])
    assert [s.number for s in sections] == ["1", "1.1"]


def test_chunk_ids_are_stable_and_change_with_content() -> None:
    meta, sections = prepare(policy_md(), "p.md")
    first = [c.chunk_id for c in chunk_sections(meta, sections)]
    again = [c.chunk_id for c in chunk_sections(*prepare(policy_md(), "p.md"))]
    assert first == again and len(set(first)) == len(first)
    newer = [c.chunk_id for c in chunk_sections(*prepare(policy_md(version="2026.1"), "p.md"))]
    assert not set(first) & set(newer)


def test_long_sections_split_at_list_items_with_same_section() -> None:
    items = "\n".join(f"{i}. Criterion number {i} " + "detail " * 40 for i in range(1, 12))
    meta, sections = prepare(policy_md(body=f"# 4. Criteria\n{items}\n"), "p.md")
    chunks = chunk_sections(meta, sections)
    assert len(chunks) > 1 and {c.section for c in chunks} == {"4"}
    assert all(len(c.text) <= 1200 for c in chunks)
    assert [c.part for c in chunks] == list(range(len(chunks)))
