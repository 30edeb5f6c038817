"""Which continued-care items an episode still owes, who owes them, and how a note meets them."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

from assistant.authorizations.models import Authorization, OpenItem, PolicyRef
from assistant.authorizations.store import AuthorizationStore
from assistant.copilot.models import CheckRequest
from assistant.copilot.rulepacks import ContinuedCareItem, RulePackRegistry


def items_for(registry: RulePackRegistry, auth: Authorization) -> list[ContinuedCareItem]:
    """The payer's continued-care items in force on the review date, for this care team.

    Medication items apply only when the team has a prescriber: nobody gets another role's items.
    """
    pack = registry.resolve(auth.payer, auth.review_date)
    roles = {m.role for m in auth.care_team}
    items = pack.continued_care.items if pack.continued_care else []
    return [i for i in items if i.requires_role is None or i.requires_role in roles]


def met_by_note(items: list[ContinuedCareItem], note: str, statuses: dict[str, str]) -> list[str]:
    """Ids of the items one note meets, given the co-pilot's element statuses for it."""
    met = []
    for item in items:
        element_ok = item.element is None or statuses.get(item.element) == "met"
        pattern_ok = not item.patterns or any(re.search(p, note, re.IGNORECASE) for p in item.patterns)
        if element_ok and pattern_ok:
            met.append(item.id)
    return met


def element_statuses(checker: Any, note: str, cpt: str, payer: str | None, day: dt.date) -> dict[str, str]:
    """Run the co-pilot on one note (offline engine unless a model is configured): element → status."""
    request = CheckRequest(note=note, cpt=cpt, payer=payer, date=day)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        response = asyncio.run(checker.check(request))
    else:  # called from inside an event loop: run the check on a fresh loop in a worker thread
        import concurrent.futures

        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            response = pool.submit(asyncio.run, checker.check(request)).result()
    return {item.element: item.status for item in response.items}


def owner_of(auth: Authorization, role: str) -> str | None:
    """The care-team member who documents items of ``role`` (the first listed, when several)."""
    return next((m.user_id for m in auth.care_team if m.role == role), None)


def open_items(registry: RulePackRegistry, store: AuthorizationStore, auth: Authorization,
               day: dt.date) -> list[OpenItem]:
    """Every item of the authorization with its owner and whether a note up to ``day`` has met it."""
    met = store.met_items(auth.id, auth.start, day)
    out = []
    for item in items_for(registry, auth):
        cite = PolicyRef(policy_id=item.citation.policy_id, section=item.citation.section) if item.citation else None
        out.append(OpenItem(
            item_id=item.id, label=item.label, ask=item.ask, owner_role=item.owner,
            owner_user=owner_of(auth, item.owner), due=auth.review_date,
            status="met" if item.id in met else "open", met_by=met.get(item.id), policy=cite,
        ))
    return out


def brief_text(items: list[OpenItem], review_date: dt.date, lead: str = "Next note must address") -> str:
    """"Next note must address: (1) …, (2) … — required for the review on <date>"."""
    listed = ", ".join(f"({n}) {item.ask}" for n, item in enumerate(items, start=1))
    return f"{lead}: {listed} — required for the review on {review_date.isoformat()}."
