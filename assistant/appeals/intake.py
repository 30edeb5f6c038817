"""Denial intake: X12 835 files, EOB extracts and denial letters (text or PDF) → :class:`Denial`.

Letters and EOBs are read with patterns for the fields billers look for (claim and member
numbers, dates of service, CPT codes, amounts, CARC / RARC and group codes, the denial
reason). Dates are parsed with ``dateutil``; PDFs with ``pypdf``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from dateutil import parser as dateparser

from assistant.appeals.models import Adjustment, Denial, ServiceLine
from assistant.appeals.x12 import parse_835
from assistant.errors import InvalidInputError
from assistant.inputs import decode_text

_DATE = r"(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})"
_CLAIM = re.compile(
    r"\b(?:claim\s+id\s*\(provider\)|ACNT|patient\s+account(?:\s+(?:no\.?|number|#))?|(?<!payer\s)(?:claim|clm)\s*(?:number|no\.?|#|id|reference|ref\.?)?)"
    r"\s*[:#]?\s*(?P<v>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,})\b",
    re.IGNORECASE,
)
_MEMBER = re.compile(r"\b(?:member|subscriber|enrollee|beneficiary|insured|medicare|policy)\s*(?:id|number|#|no\.?|identifier)\s*[:#]?\s*(?P<v>[A-Z0-9][A-Z0-9-]{4,})", re.IGNORECASE)
_PATIENT = re.compile(r"\b(?i:patient|member|enrollee|beneficiary)(?i:\s+name)?\s*:\s*(?P<v>[A-Z][A-Za-z'.-]+(?: [A-Z][A-Za-z'.-]+){1,2})")
_DOS = re.compile(rf"\b(?:dates?(?:\(s\))?\s+of\s+service|DOS|service\s+dates?|date\s+of\s+visit|services?\s+(?:rendered\s+|provided\s+)?on)\s*(?:\(s\))?\s*[:#]?\s*(?P<v>{_DATE}(?:\s*(?:-|–|to|through|,|and)\s*{_DATE})*)", re.IGNORECASE)
_NOTICE_DATE = re.compile(
    rf"\b(?:date\s+of\s+(?:this\s+)?(?:notice|letter|determination|remittance)|notice\s+date|letter\s+date|remittance\s+date|"
    rf"processed\s+(?:on|date)|determination\s+date|date\s+processed|paid\s+date|payment\s+date|check\s+date|issued|"
    rf"(?<!service\s)(?<!birth\s)(?<!received\s)date)\s*[:#]?\s*(?P<v>{_DATE})",
    re.IGNORECASE,
)
_NOT_NOTICE = re.compile(r"\b(?:service|DOS|birth|DOB|received|submitted|admission|discharge)\b", re.IGNORECASE)


def _notice_date(text: str) -> dt.date | None:
    """The date of the denial: a labelled notice/payment date, else the first date line of the letterhead."""
    for m in _NOTICE_DATE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not _NOT_NOTICE.search(text[line_start:m.start()]):
            day = next(iter(_dates(m.group("v"))), None)
            if day:
                return day
    for line in text.splitlines()[:20]:
        days = _dates(line)
        if days and not _NOT_NOTICE.search(line):
            return days[0]
    return None
_CPT = re.compile(r"\b(?P<v>90(?:785|79[12]|8[0-9]{2})|99[2-4]\d{2})\b")
_MONEY = r"\$?\s*(?P<v>\d{1,3}(?:,\d{3})*(?:\.\d{2})|\d+\.\d{2})"
_BILLED = re.compile(rf"\b(?:billed|charge[ds]?|submitted|amount\s+billed|total\s+charges?|amount)(?:\s+amount)?(?:\s+(?:at|of))?\s*[:#]?\s*{_MONEY}", re.IGNORECASE)
_DENIED = re.compile(rf"\b(?:amount\s+denied|denied\s+amount|total\s+denied)\s*[:#]?\s*{_MONEY}", re.IGNORECASE)
_DOS_LOOSE = re.compile(rf"(?:\bservices?\b|\(9\d{{4}}\)|\b9\d{{4}}\b)[^.]{{0,120}}?\bon\s+(?P<v>{_DATE})", re.IGNORECASE)
_PAID = re.compile(rf"\b(?:paid|payment|plan\s+paid|amount\s+paid|total\s+paid)(?:\s+amount)?\s*[:#]?\s*{_MONEY}", re.IGNORECASE)
_GROUP_CARC = re.compile(r"\b(?P<g>CO|PR|OA|PI|CR)\s*[-–: ]\s*(?P<c>[A-Z]?\d{1,3})\b")
_CARC = re.compile(
    r"\b(?:CARC|claim\s+adjustment\s+reason(?:\s+code)?|adjustment\s+reason(?:\s+code)?|reason\s+code|denial\s+code|"
    r"group/reason(?:\s+code)?|(?:group\s+(?:CO|PR|OA|PI),?\s+)?reason)s?\s*[:#]?\s*(?:(?:CO|PR|OA|PI)\s*[-–: ]\s*)?(?P<c>[A-Z]?\d{1,3})\b",
    re.IGNORECASE,
)
_GROUP_WORD = re.compile(r"\bgroup(?:\s+code)?\s*[:#]?\s*(?P<g>CO|PR|OA|PI)\b", re.IGNORECASE)
_RARC = re.compile(r"\b(?:RARC|remark(?:\s+codes?)?|remittance\s+advice\s+remark(?:\s+codes?)?)\s*(?:\(s\))?\s*[:#]?\s*(?P<c>(?:MA|N|M)\d{1,3})\b", re.IGNORECASE)
_RARC_BARE = re.compile(r"\b(?P<c>(?:MA|N|M)\d{1,3})\b")
_POS = re.compile(r"\b(?:place\s+of\s+service|POS)\s*[:#]?\s*(?P<v>\d{2})\b", re.IGNORECASE)
_MODIFIER = re.compile(r"\bmodifiers?\s*[:#]?\s*(?P<v>\d{2}|[A-Z]{2})\b|\b9\d{4}[-–](?P<w>\d{2}|[A-Z]{2})\b")
_REASON_SENTENCE = re.compile(
    r"[^.\n]*\b(?:denied|denial|not\s+(?:covered|medically|eligible|credentialed|authori[sz]ed|support)|not\s+supported|medical\s+necessity|"
    r"reason|adjusted|does\s+not\s+meet|exceed\w*|duplicate|timely)\b[^.\n]*[.\n]",
    re.IGNORECASE,
)


def _dates(text: str) -> list[dt.date]:
    out = []
    for raw in re.findall(_DATE, text):
        try:
            out.append(dateparser.parse(raw, dayfirst=False).date())
        except (ValueError, OverflowError):
            continue
    return out


def _money(m: re.Match[str] | None) -> float | None:
    return float(m.group("v").replace(",", "")) if m else None


def parse_text(text: str, source: str = "letter") -> Denial:
    """A denial read from letter or EOB text."""
    carc: list[str] = []
    group = None
    for m in _GROUP_CARC.finditer(text):
        group = group or m.group("g").upper()
        if m.group("c") not in carc:
            carc.append(m.group("c"))
    for m in _CARC.finditer(text):
        if m.group("c") not in carc:
            carc.append(m.group("c"))
    word_group = _GROUP_WORD.search(text)
    if group is None and word_group and carc:
        group = word_group.group("g").upper()
    rarc = list(dict.fromkeys(m.group("c").upper() for m in _RARC.finditer(text)))
    if rarc or re.search(r"\bremark", text, re.IGNORECASE):
        rarc += [c for c in dict.fromkeys(m.group("c") for m in _RARC_BARE.finditer(text)) if c not in rarc]
    dos_match = _DOS.search(text)
    dates_of_service = _dates(dos_match.group("v")) if dos_match else []
    table = _eob_table(text)
    if not dates_of_service and table.get("dates"):
        dates_of_service = sorted(set(table["dates"]))
    if not dates_of_service and (loose := _DOS_LOOSE.search(text)):
        dates_of_service = _dates(loose.group("v"))
    denial_date = _notice_date(text)
    cpt = list(dict.fromkeys(m.group("v") for m in _CPT.finditer(text)))
    modifiers = list(dict.fromkeys(m.group("v") or m.group("w") for m in _MODIFIER.finditer(text)))
    claim = _CLAIM.search(text)
    member = _MEMBER.search(text)
    patient = _PATIENT.search(text)
    pos = _POS.search(text)
    reasons = [" ".join(s.split()) for s in _REASON_SENTENCE.findall(text)][:4]
    denial = Denial(
        source="eob" if source == "eob" else "letter",
        claim_id=claim.group("v") if claim else None, member_id=member.group("v") if member else None,
        patient=patient.group("v") if patient else None, dates_of_service=dates_of_service, cpt=cpt,
        billed=table.get("billed") if table.get("billed") is not None else _money(_BILLED.search(text)),
        paid=table.get("paid") if table.get("paid") is not None else _money(_PAID.search(text)), group=group, carc=carc, rarc=rarc,
        denied=_money(_DENIED.search(text)),
        denial_date=denial_date, reason_text=" ".join(reasons), place_of_service=pos.group("v") if pos else None,
        modifiers=[m for m in modifiers if m],
    )
    if cpt:
        denial.lines = [ServiceLine(cpt=c, date_of_service=next(iter(dates_of_service), None),
                                    adjustments=[Adjustment(group=group, carc=k) for k in carc]) for c in cpt[:1]]
    return denial


_HEAD_BILLED = re.compile(r"^(?:billed|charged?|charges|submitted)$", re.IGNORECASE)
_HEAD_PAID = re.compile(r"^(?:paid|payment|plan\s+paid)$", re.IGNORECASE)


def _eob_table(text: str) -> dict[str, Any]:
    """Totals of an EOB's service-line table (header row with BILLED … PAID columns), when there is one."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        head = re.split(r"\s{2,}", line.strip())
        cols = {j: h for j, h in enumerate(head)}
        billed = next((j for j, h in cols.items() if _HEAD_BILLED.match(h)), None)
        paid = next((j for j, h in cols.items() if _HEAD_PAID.match(h)), None)
        if billed is None or paid is None:
            continue
        totals: dict[str, Any] = {"billed": 0.0, "paid": 0.0, "dates": []}
        rows = 0
        for row in lines[i + 1:]:
            cells = re.split(r"\s{2,}", row.strip())
            if not (max(billed, paid) < len(cells) <= len(head)) or not re.match(r"^\d", cells[0]):
                if rows and not row.strip().startswith(("-", "=")) and len(cells) < 3:
                    break
                continue
            try:
                totals["billed"] += float(cells[billed].replace(",", "").replace("$", ""))
                totals["paid"] += float(cells[paid].replace(",", "").replace("$", ""))
                rows += 1
            except ValueError:
                continue
            totals["dates"] += [d for c in cells[:3] for d in _dates(c)]
        if rows:
            return totals
    return {}


def _looks_like_eob(text: str) -> bool:
    return bool(re.search(r"explanation\s+of\s+benefits|\bEOB\b|remittance|\ballowed\b.*\bpaid\b", text, re.IGNORECASE | re.DOTALL))


def read_denials(data: bytes, filename: str, limit: int) -> list[Denial]:
    """Every denial in an uploaded file: an 835 may hold several claims; a letter holds one."""
    if data[:5] == b"%PDF-":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except (PdfReadError, ValueError, KeyError, OSError) as exc:
            raise InvalidInputError(f"{filename}: unreadable PDF ({type(exc).__name__})", "file") from None
        if not text.strip():
            raise InvalidInputError(f"{filename}: the PDF has no extractable text (scanned image?)", "file")
        return [parse_text(text, "eob" if _looks_like_eob(text) else "letter")]
    text = decode_text(data, "file", limit)
    if text.lstrip().startswith("ISA"):
        return parse_835(text)
    return [parse_text(text, "eob" if _looks_like_eob(text) else "letter")]
