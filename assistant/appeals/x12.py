"""X12 835 remittance → one :class:`Denial` per claim (CLP loop), read with pyx12.

Claim level: CLP (claim id, status, billed, paid), CAS (group + reason/amount triples),
NM1*QC / NM1*IL (patient, member id), DTM*232/050 (dates), MOA/MIA (remark codes).
Service lines: SVC (procedure composite with modifiers, billed, paid, units), DTM*472
(date of service), CAS, LQ*HE (RARC). Payer from N1*PR; the remittance date (DTM*405, else
BPR16) is the denial date.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pyx12.errors
import pyx12.x12file

from assistant.appeals.models import Adjustment, Denial, ServiceLine
from assistant.errors import InvalidInputError


def _date(value: str | None) -> dt.date | None:
    if not value or len(value) != 8 or not value.isdigit():
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def _money(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _cas(seg: Any) -> list[Adjustment]:
    group = seg.get_value("CAS01")
    out = []
    for i in range(2, 20, 3):
        reason = seg.get_value(f"CAS{i:02d}")
        if not reason:
            break
        out.append(Adjustment(group=group, carc=str(reason).strip(), amount=_money(seg.get_value(f"CAS{i + 1:02d}"))))
    return out


def _segments(text: str) -> list[Any]:
    try:
        return list(pyx12.x12file.X12Reader(io.StringIO(text.strip())))
    except (pyx12.errors.X12Error, pyx12.errors.EngineError, IndexError, ValueError) as exc:
        raise InvalidInputError(f"not a readable X12 835 file ({str(exc)[:80]})", "file") from None


def parse_835(text: str) -> list[Denial]:
    """Every claim of an 835 remittance, with its adjustments and service lines."""
    segments = _segments(text)
    if not any(s.get_seg_id() == "ST" and s.get_value("ST01") == "835" for s in segments):
        raise InvalidInputError("the X12 file is not an 835 remittance (no ST*835)", "file")
    payer: str | None = None
    paid_on: dt.date | None = None
    claims: list[Denial] = []
    claim: Denial | None = None
    line: ServiceLine | None = None
    for seg in segments:
        sid = seg.get_seg_id()
        if sid == "BPR":
            paid_on = paid_on or _date(seg.get_value("BPR16"))
        elif sid == "DTM" and seg.get_value("DTM01") == "405" and claim is None:
            paid_on = _date(seg.get_value("DTM02")) or paid_on
        elif sid == "N1" and seg.get_value("N101") == "PR":
            payer = seg.get_value("N102")
        elif sid == "CLP":
            claim = Denial(source="835", payer=payer, claim_id=seg.get_value("CLP01"), billed=_money(seg.get_value("CLP03")),
                           paid=_money(seg.get_value("CLP04")), denial_date=paid_on)
            claims.append(claim)
            line = None
        elif claim is None:
            continue
        elif sid == "CAS":
            adjustments = _cas(seg)
            target = line.adjustments if line is not None else None
            if target is not None:
                target.extend(adjustments)
            for a in adjustments:
                claim.group = claim.group or a.group
                if a.carc not in claim.carc:
                    claim.carc.append(a.carc)
        elif sid == "NM1" and seg.get_value("NM101") in ("QC", "IL"):
            if seg.get_value("NM101") == "QC":
                claim.patient = " ".join(p for p in (seg.get_value("NM104"), seg.get_value("NM103")) if p) or None
            if seg.get_value("NM108") in ("MI", "HN", "MR") and seg.get_value("NM109"):
                claim.member_id = claim.member_id or seg.get_value("NM109")
        elif sid == "DTM" and seg.get_value("DTM01") in ("232", "050", "472", "150"):
            day = _date(seg.get_value("DTM02"))
            if day and seg.get_value("DTM01") == "472" and line is not None:
                line.date_of_service = day
            if day and seg.get_value("DTM01") in ("232", "472", "150") and day not in claim.dates_of_service:
                claim.dates_of_service.append(day)
        elif sid == "SVC":
            parts = str(seg.get_value("SVC01") or "").split(":")
            line = ServiceLine(cpt=parts[1] if len(parts) > 1 else parts[0], modifiers=[p for p in parts[2:] if p],
                               billed=_money(seg.get_value("SVC02")), paid=_money(seg.get_value("SVC03")),
                               units=_money(seg.get_value("SVC05")) or 1.0)
            claim.lines.append(line)
            claim.cpt.append(line.cpt)
            claim.units.append(line.units)
            claim.modifiers.extend(m for m in line.modifiers if m not in claim.modifiers)
        elif sid == "LQ" and seg.get_value("LQ01") == "HE" and seg.get_value("LQ02"):
            code = str(seg.get_value("LQ02"))
            if line is not None:
                line.rarc.append(code)
            if code not in claim.rarc:
                claim.rarc.append(code)
        elif sid in ("MOA", "MIA"):
            for i in range(1, 25):
                value = seg.get_value(f"{sid}{i:02d}")
                if value and str(value)[:1] in ("M", "N") and str(value)[1:2].isalnum() and str(value) not in claim.rarc:
                    claim.rarc.append(str(value))
    if not claims:
        raise InvalidInputError("the 835 remittance has no claim (CLP) loop", "file")
    for c in claims:
        c.dates_of_service.sort()
    return claims
