"""Denial intake: X12 835 files, EOB extracts and denial letters (text or PDF) → :class:`Denial`.

Letters and EOBs are read with patterns for the fields billers look for (claim and member
numbers, dates of service, CPT codes, amounts, CARC / RARC and group codes, the denial
reason). Dates are parsed with ``dateutil``; PDFs with ``pypdf``.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from dateutil import parser as dateparser

from assistant.appeals.models import Adjustment, Denial, ServiceLine
from assistant.appeals.x12 import parse_835
from assistant.errors import InvalidInputError
from assistant.inputs import decode_text

_DATE = r"(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})"
_CLAIM = re.compile(r"\b(?:claim|clm|icn|dcn)\s*(?:number|no\.?|#|id|control\s+number)?\s*[:#]?\s*(?P<v>[A-Z0-9][A-Z0-9-]{4,})", re.IGNORECASE)
_MEMBER = re.compile(r"\b(?:member|subscriber|enrollee|beneficiary|insured|medicare|policy)\s*(?:id|number|#|no\.?|identifier)\s*[:#]?\s*(?P<v>[A-Z0-9][A-Z0-9-]{4,})", re.IGNORECASE)
_PATIENT = re.compile(r"\b(?i:patient|member|enrollee|beneficiary)(?i:\s+name)?\s*:\s*(?P<v>[A-Z][A-Za-z'.-]+(?: [A-Z][A-Za-z'.-]+){1,2})")
_DOS = re.compile(rf"\b(?:dates?\s+of\s+service|DOS|service\s+dates?|date\s+of\s+visit|services?\s+(?:rendered\s+|provided\s+)?on)\s*(?:\(s\))?\s*[:#]?\s*(?P<v>{_DATE}(?:\s*(?:-|–|to|through|,|and)\s*{_DATE})*)", re.IGNORECASE)
_NOTICE_DATE = re.compile(
    rf"\b(?:date\s+of\s+(?:this\s+)?(?:notice|letter|determination|remittance)|notice\s+date|letter\s+date|remittance\s+date|"
    rf"processed\s+(?:on|date)|determination\s+date|date\s+processed|paid\s+date|check\s+date|date)\s*[:#]?\s*(?P<v>{_DATE})",
    re.IGNORECASE,
)
_CPT = re.compile(r"\b(?P<v>90(?:785|79[12]|8[0-9]{2})|99[2-4]\d{2})\b")
_MONEY = r"\$?\s*(?P<v>\d{1,3}(?:,\d{3})*(?:\.\d{2})|\d+\.\d{2})"
_BILLED = re.compile(rf"\b(?:billed|charge[ds]?|submitted|amount\s+billed|total\s+charges?)(?:\s+amount)?\s*[:#]?\s*{_MONEY}", re.IGNORECASE)
_PAID = re.compile(rf"\b(?:paid|payment|plan\s+paid|amount\s+paid|total\s+paid)(?:\s+amount)?\s*[:#]?\s*{_MONEY}", re.IGNORECASE)
_GROUP_CARC = re.compile(r"\b(?P<g>CO|PR|OA|PI|CR)\s*[-–: ]\s*(?P<c>[A-Z]?\d{1,3})\b")
_CARC = re.compile(
    r"\b(?:CARC|claim\s+adjustment\s+reason(?:\s+code)?|adjustment\s+reason(?:\s+code)?|reason\s+code|denial\s+code|"
    r"group/reason(?:\s+code)?)s?\s*[:#]?\s*(?:(?:CO|PR|OA|PI)\s*[-–: ]\s*)?(?P<c>[A-Z]?\d{1,3})\b",
    re.IGNORECASE,
)
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
    rarc = list(dict.fromkeys(m.group("c").upper() for m in _RARC.finditer(text)))
    if rarc or re.search(r"\bremark", text, re.IGNORECASE):
        rarc += [c for c in dict.fromkeys(m.group("c") for m in _RARC_BARE.finditer(text)) if c not in rarc]
    dos_match = _DOS.search(text)
    dates_of_service = _dates(dos_match.group("v")) if dos_match else []
    notice = _NOTICE_DATE.search(text)
    denial_date = next(iter(_dates(notice.group("v"))), None) if notice else None
    if denial_date is None:
        first = _dates(text[:400])
        denial_date = first[0] if first and first[0] not in dates_of_service else None
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
        billed=_money(_BILLED.search(text)), paid=_money(_PAID.search(text)), group=group, carc=carc, rarc=rarc,
        denial_date=denial_date, reason_text=" ".join(reasons), place_of_service=pos.group("v") if pos else None,
        modifiers=[m for m in modifiers if m],
    )
    if cpt:
        denial.lines = [ServiceLine(cpt=c, date_of_service=next(iter(dates_of_service), None),
                                    adjustments=[Adjustment(group=group, carc=k) for k in carc]) for c in cpt[:1]]
    return denial


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
