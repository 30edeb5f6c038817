"""The offline appeal letter writer: Markdown in the provider's voice, HTML and PDF renderings.

The letter follows what wins appeals (DOMAIN.md §5): claim, member, dates of service, codes and
denial reason; the payer's policy quoted criterion by criterion, each followed by the record's
verbatim dated quotes; a parity (MHPAEA) paragraph only for benefit limits, non-covered services
and treatment-limit criteria; the requested action; the enclosures. Nothing about the patient's
care is in the letter's own words: each such statement is an evidence quote with its marker
``(SOURCE, dated YYYY-MM-DD)``, checked by :mod:`guardrails.citations`. Criteria not met (or met
without evidence) appear nowhere; the caller reports them. Output depends only on the arguments.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import re
import tempfile
from typing import Any

from fpdf import FPDF
from markdown_it import MarkdownIt

from assistant.appeals.models import Classification, Criterion, Denial, PolicyRef

PARITY_CAUSES = frozenset({"benefit_limit", "not_covered"})
_LIMIT_WORDS = re.compile(r"visit limit|session limit|treatment limit|frequency|visits? per|sessions? per", re.I)
_MONTHS = "January February March April May June July August September October November December".split()
_DOUBLE_QUOTES = re.compile(r"[\"“”„]")
_DENIAL_DOCUMENTS = {"835": "Electronic remittance advice (835)", "eob": "Explanation of benefits", "letter": "Denial letter"}
PARITY_PARAGRAPH = (
    "**Mental health parity.** This claim is for a mental-health service. Under the Mental Health Parity "
    "and Addiction Equity Act (MHPAEA) and its regulations (29 CFR 2590.712), the plan may not apply a "
    "financial requirement, a treatment limitation such as a visit limit or frequency limit, or a "
    "medical-necessity or other non-quantitative criterion to mental-health benefits that is more "
    "restrictive than the limit or criterion it applies to comparable medical/surgical benefits in the "
    "same classification. If the plan relied on such a limit or criterion in denying this claim, I "
    "request that it reconsider the denial in that light and provide the comparative analysis of the "
    "limit or criterion as designed and as applied to mental-health and to medical/surgical benefits, as "
    "required by 29 CFR 2590.712."
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quote(text: str) -> str:
    """A quote on one line, its inner double quotes made single so the outer ones stay unambiguous."""
    return _DOUBLE_QUOTES.sub("'", _one_line(text))


def cite(policy: PolicyRef) -> str:
    """``policy_id §section (version)``: how the letter cites a policy passage."""
    return f"{policy.policy_id} §{policy.section}" + (f" ({policy.version})" if policy.version else "")


def argued(criteria: list[Criterion]) -> list[Criterion]:
    """The criteria the letter argues: met, with at least one evidence quote."""
    return [c for c in criteria if c.met and c.evidence]


def is_treatment_limit(criterion: Criterion) -> bool:
    """Whether a criterion is a treatment limit (visit limit, frequency)."""
    return bool(_LIMIT_WORDS.search(f"{criterion.criterion} {criterion.element.replace('_', ' ')}"))


def needs_parity(classification: Classification, criteria: list[Criterion]) -> bool:
    """Whether the letter argues mental-health parity."""
    return classification.root_cause in PARITY_CAUSES or any(is_treatment_limit(c) for c in criteria)


def _codes(denial: Denial) -> str:
    pairs = [(denial.group, c) for c in denial.carc]
    pairs += [(a.group or denial.group, a.carc) for line in denial.lines for a in line.adjustments]
    carcs = list(dict.fromkeys(f"{group}-{code}" if group else code for group, code in pairs))
    rarcs = list(dict.fromkeys(denial.rarc + [r for line in denial.lines for r in line.rarc]))
    parts = [f"CARC {', '.join(carcs)}"] if carcs else []
    parts += [f"RARC {', '.join(rarcs)}"] if rarcs else []
    return "; ".join(parts) or "[DENIAL CODES]"


def _heading(denial: Denial, provider: str, practice: str, today: dt.date, dates: str) -> list[str]:
    fields = {
        "Claim ID": denial.claim_id or "[CLAIM ID]",
        "Member ID": denial.member_id or "[MEMBER ID]",
        "Patient": denial.patient or "[PATIENT]",
        "Date(s) of service": dates,
        "CPT code(s)": ", ".join(denial.cpt) or "[CPT]",
        "Denial date": denial.denial_date.isoformat() if denial.denial_date else "[DENIAL DATE]",
        "Denial codes": _codes(denial),
        "Denial reason": f"“{_quote(denial.reason_text)}”" if denial.reason_text.strip() else "[DENIAL REASON]",
    }
    letter_date = f"{_MONTHS[today.month - 1]} {today.day}, {today.year}"
    return [
        f"{provider}  ", practice, "", letter_date, "", f"{denial.payer or '[PAYER]'}  ", "Appeals and Reconsiderations", "",
        f"## Re: Request for reconsideration / appeal: claim {fields['Claim ID']}", "",
        *(f"- **{name}:** {value}" for name, value in fields.items()), "",
    ]


def _criterion_section(number: int, criterion: Criterion) -> list[str]:
    lines = [f"### {number}. {_one_line(criterion.criterion)}", ""]
    policy = criterion.policy
    if policy is not None:
        lines += [f"**Plan policy:** {cite(policy)}", ""]
        if policy.quote and policy.quote.strip():
            lines += [f"> {_one_line(policy.quote)}", ""]
    lines += ["**Where the record meets it:**", ""]
    for ev in criterion.evidence:
        dated = f", dated {ev.date.isoformat()}" if ev.date else ""
        lines.append(f"- “{_quote(ev.quote)}” ({_one_line(ev.source)}{dated})")
    return [*lines, ""]


def _enclosures(denial: Denial, criteria: list[Criterion]) -> list[str]:
    dates: dict[str, set[str]] = {}
    for ev in (ev for c in criteria for ev in c.evidence):
        dates.setdefault(_one_line(ev.source), set()).update([ev.date.isoformat()] if ev.date else [])
    items = [f"{src} (dated {', '.join(sorted(days))})" if days else src for src, days in dates.items()]
    denial_doc = _DENIAL_DOCUMENTS.get(denial.source, "Denial notice")
    when = f", dated {denial.denial_date.isoformat()}" if denial.denial_date else ""
    items.append(f"{denial_doc} for claim {denial.claim_id or '[CLAIM ID]'}{when}")
    cited = dict.fromkeys(cite(c.policy) for c in criteria if c.policy is not None)
    items += [f"Payer policy {ref}" for ref in cited]
    return ["## Enclosures", "", *(f"- {item}" for item in items), ""]


def write_letter(
    classification: Classification,
    criteria: list[Criterion],
    *,
    provider: str = "[PROVIDER]",
    practice: str = "[PRACTICE]",
    today: dt.date | None = None,
) -> str:
    """The appeal letter as Markdown, criterion by criterion, in the provider's voice.

    Args:
        classification: The classified denial (claim, codes, root cause, appeal level).
        criteria: The payer's criteria and the record's evidence; only those met with evidence are shown.
        provider: Rendering clinician's name and credentials.
        practice: Practice name and address.
        today: Date of the letter; defaults to today.

    Returns:
        The letter in Markdown.
    """
    denial = classification.denial
    shown = argued(criteria)
    claim = denial.claim_id or "[CLAIM ID]"
    services = ", ".join(denial.cpt) or "[CPT]"
    dates = ", ".join(d.isoformat() for d in denial.dates_of_service) or "[DATE OF SERVICE]"
    level = f" This is a {classification.level} request." if classification.level else ""
    below = (" The plan's own criteria are quoted below, each followed by the entries of the clinical record "
             "that meet it, quoted verbatim with their dates.") if shown else ""
    lines = _heading(denial, provider, practice, today or dt.date.today(), dates)
    lines += [
        "To the appeals reviewer:", "",
        f"I am the treating provider of {denial.patient or '[PATIENT]'} and I am writing to appeal the denial of "
        f"claim {claim} for CPT {services} on {dates}, and to request that the plan reconsider the denial and "
        f"reprocess the claim for payment.{level}{below}", "",
    ]
    if shown:
        lines += ["## The plan's criteria and where the record meets them", ""]
        for number, criterion in enumerate(shown, start=1):
            lines += _criterion_section(number, criterion)
    if needs_parity(classification, criteria):
        lines += [PARITY_PARAGRAPH, ""]
    billed = f" (billed amount USD {denial.billed:.2f})" if denial.billed else ""
    lines += [
        f"**Requested action.** Please overturn the denial and reprocess and pay claim {claim} as billed{billed}. "
        "If the plan upholds the denial, please send the specific criteria and the clinical rationale relied on, "
        "the name and credentials of the reviewer, and how to request the next level of review.", "",
        *_enclosures(denial, shown),
        "Sincerely,", "", f"{provider}  ", practice, "",
    ]
    return "\n".join(lines)


_CSS = (
    "body{font-family:Georgia,'DejaVu Serif',serif;font-size:11pt;line-height:1.45;color:#111;margin:0}"
    "main{max-width:7in;margin:0.8in auto;padding:0 0.3in}h2{font-size:13pt;margin-top:1.4em}h3{font-size:11.5pt}"
    "blockquote{margin:0.5em 0 0.8em;padding:0.2em 0.9em;border-left:3px solid #888;color:#333;font-style:italic}"
    "@media print{main{margin:0;max-width:none}@page{size:letter;margin:0.8in}h3{break-after:avoid}}"
)


def letter_to_html(markdown: str) -> str:
    """A standalone, printable HTML page of the letter (raw HTML in the Markdown is escaped)."""
    body = MarkdownIt("commonmark", {"html": False}).render(markdown)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Appeal letter</title>\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf", "BI": "DejaVuSans-BoldOblique.ttf"}
_LATIN1 = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "•": "-", "…": "...", "≥": ">=", "≤": "<=", "×": "x"})


def _dejavu() -> dict[str, str] | None:
    for folder in _FONT_DIRS:
        paths = {style: os.path.join(folder, name) for style, name in _FONT_FILES.items()}
        if all(os.path.exists(p) for p in paths.values()):
            return paths
    return None


class _Writer:
    """Renders markdown-it tokens onto an fpdf2 page."""

    def __init__(self, fonts: dict[str, str] | None) -> None:
        self.pdf = FPDF(format="letter")
        self.pdf.set_margins(22, 20, 22)
        self.pdf.add_page()
        self.unicode, self.family = fonts is not None, "DejaVu" if fonts else "Helvetica"
        for style, path in (fonts or {}).items():
            self.pdf.add_font("DejaVu", style, path)
        self.base = self.pdf.l_margin
        self.size, self.style, self.quote_depth = 10.5, "", 0
        self.lists: list[list[Any]] = []  # [ordered, next number]
        self.marker: str | None = None

    def text(self, value: str) -> str:
        return value if self.unicode else value.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def indent(self) -> None:
        left = self.base + 7 * len(self.lists) + 8 * self.quote_depth
        self.pdf.set_left_margin(left)
        self.pdf.set_x(left)

    def inline(self, children: list[Any], height: float) -> None:
        if self.marker is not None:
            self.pdf.set_font(self.family, "", self.size)
            self.pdf.set_x(self.pdf.l_margin - 6)
            self.pdf.cell(6, height, self.text(self.marker))
            self.marker = None
        style = set(self.style)
        for child in children:
            kind = child.type
            if kind in ("strong_open", "strong_close", "em_open", "em_close"):
                style ^= {"B" if kind.startswith("strong") else "I"}
            elif kind in ("text", "code_inline", "softbreak"):
                self.pdf.set_font(self.family, "".join(sorted(style)), self.size)
                self.pdf.write(height, self.text(" " if kind == "softbreak" else child.content))
            elif kind == "hardbreak":
                self.pdf.ln(height)

    def render(self, markdown: str) -> FPDF:
        for token in MarkdownIt("commonmark", {"html": False}).parse(markdown):
            kind, height = token.type, self.size * 0.5
            if kind == "heading_open":
                self.size, self.style = {"h1": 16.0, "h2": 13.0}.get(token.tag, 11.5), "B"
                self.pdf.ln(2)
                self.indent()
            elif kind == "heading_close":
                self.pdf.ln(self.size * 0.5 + 1.5)
                self.size, self.style = 10.5, ""
            elif kind in ("blockquote_open", "blockquote_close"):
                self.quote_depth += 1 if kind == "blockquote_open" else -1
                self.style = "I" if self.quote_depth else ""
                self.pdf.set_text_color(70 if self.quote_depth else 0)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
                self.indent()
                self.pdf.ln(3)
            elif kind == "list_item_open" and self.lists:
                ordered, number = self.lists[-1]
                self.marker = f"{number}." if ordered else ("•" if self.unicode else "-")
                self.lists[-1][1] = number + 1
            elif kind == "paragraph_open":
                self.indent()
            elif kind == "inline":
                self.inline(token.children or [], height)
            elif kind == "paragraph_close":
                self.pdf.ln(height if token.hidden else height + 2.5)
        return self.pdf


def letter_to_pdf(markdown: str, path: pathlib.Path) -> None:
    """Render the letter to a PDF file, written atomically (temporary file, then rename).

    Uses DejaVu Sans when installed (Unicode), else Helvetica with Latin-1 replacements.
    """
    data = bytes(_Writer(_dejavu()).render(markdown).output())
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        pathlib.Path(tmp).unlink(missing_ok=True)
        raise
