"""The compliance dashboard's figures, computed from case states and the audit trail (pseudonymized data only)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from assistant.workflows.service import CaseService


def _at(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def dashboard_data(svc: CaseService, audit: Any, tenant: str) -> dict[str, dict[str, float]]:
    """Counts for each chart: denials by root cause and payer, co-pilot gaps, draft-to-signature minutes, outcomes."""
    causes: Counter[str] = Counter()
    payers: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    gaps: Counter[str] = Counter()
    for row in svc.records.list_cases(tenant):
        case_id = str(row["case_id"])
        state = svc.state(case_id)
        if row["kind"] == "appeal":
            cls = state.get("classification") or {}
            causes[str(cls.get("root_cause") or "unclassified")] += 1
            payers[str((cls.get("denial") or {}).get("payer") or "unknown")] += 1
            outcomes[str(state.get("status") or row["status"])] += 1
        else:
            for item in (state.get("check") or {}).get("items", []):
                if item.get("status") != "met":
                    gaps[str(item.get("element"))] += 1
    return {
        "causes": dict(causes.most_common()), "payers": dict(payers.most_common()),
        "gaps": dict(gaps.most_common()), "signature": signature_minutes(audit, tenant), "outcomes": dict(outcomes.most_common()),
    }


def signature_minutes(audit: Any, tenant: str, last: int = 15) -> dict[str, float]:
    """Minutes from a note case's creation (the draft) to its signature, for the ``last`` signed notes."""
    created: dict[str, dt.datetime] = {}
    out: dict[str, float] = {}
    for event in audit.events(tenant=tenant):
        if not event.case_id:
            continue
        if event.action == "case.create" and event.details.get("kind") == "note":
            created[event.case_id] = _at(event.at)
        elif event.action == "review.approve" and event.details.get("status") == "signed" and event.case_id in created:
            out[event.case_id[:8]] = round((_at(event.at) - created[event.case_id]).total_seconds() / 60, 1)
    return dict(list(out.items())[-last:])
