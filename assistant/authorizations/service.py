"""Authorization coordination: record signed notes, brief clinicians, run the daily pass."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

import httpx

from assistant.authorizations.guidance import (
    brief_text,
    element_statuses,
    items_for,
    met_by_note,
    open_items,
    owner_of,
)
from assistant.authorizations.models import (
    Alert,
    AlertLevel,
    Authorization,
    AuthorizationCreate,
    Brief,
    BriefEntry,
    DailyRun,
)
from assistant.authorizations.store import AuthorizationStore
from assistant.copilot.rulepacks import RulePackError, RulePackRegistry
from assistant.errors import InvalidInputError

log = logging.getLogger(__name__)


class UrgencyPolicy:
    """Days before the review at which each alert level starts, and the visit-cap warning."""

    def __init__(self, notice: int = 5, reminder: int = 3, escalate: int = 1, visits_warning: int = 3,
                 brief_days: int = 14) -> None:
        """Thresholds in days (notice > reminder > escalate) and remaining visits."""
        if not notice > reminder > escalate >= 0:
            raise ValueError("urgency days must satisfy notice > reminder > escalate >= 0")
        self.notice, self.reminder, self.escalate = notice, reminder, escalate
        self.visits_warning, self.brief_days = visits_warning, brief_days

    def level(self, days_to_review: int) -> AlertLevel | None:
        """The alert level for this many days before the review (``None``: too early)."""
        if days_to_review <= self.escalate:
            return "escalated"
        if days_to_review <= self.reminder:
            return "reminder"
        if days_to_review <= self.notice:
            return "notice"
        return None


def _alert_id(auth: Authorization, recipient: str, level: str) -> str:
    """One alert per authorization, review cycle, recipient and level: re-runs find it already there."""
    key = f"{auth.id}|{auth.review_date.isoformat()}|{recipient}|{level}"
    return hashlib.sha256(key.encode()).hexdigest()[:40]


_LEADS = {"notice": "Next note must address", "reminder": "Reminder — still open",
          "escalated": "Review is imminent — still open"}


class AuthorizationService:
    """The daily pass, briefs and note recording over one store."""

    def __init__(self, store: AuthorizationStore, registry: RulePackRegistry, checker: Any,
                 policy: UrgencyPolicy | None = None, webhook_url: str | None = None) -> None:
        """Wire the store, the rule packs, the co-pilot and the delivery settings."""
        self.store, self.registry, self.checker = store, registry, checker
        self.policy = policy or UrgencyPolicy()
        self.webhook_url = webhook_url

    def create(self, body: AuthorizationCreate, tenant: str) -> Authorization:
        """Store an authorization whose payer has a rule pack in force on the review date.

        Raises:
            InvalidInputError: unknown payer (``payer``) or no pack in force then (``review_date``).
        """
        try:
            self.registry.resolve(body.payer, body.review_date)
        except RulePackError as exc:
            field = "payer" if "unknown payer" in str(exc) else "review_date"
            raise InvalidInputError(str(exc), field) from None
        return self.store.create(body, tenant)

    def record_note(self, auth_id: str, note_id: str, author: str, day: dt.date, note: str,
                    cpt: str = "90834") -> list[str]:
        """Check a signed note against the episode's items; store which it meets (once per note id).

        Returns:
            The ids of the items the note meets.
        """
        auth = self.store.get(auth_id)
        statuses = element_statuses(self.checker, note, cpt, auth.payer, day)
        met = met_by_note(items_for(self.registry, auth), note, statuses)
        if self.store.record_note(note_id, auth_id, author, day, met):
            self.store.add_visit(auth_id)
        return met

    def brief(self, clinician: str, day: dt.date, tenant: str | None = None) -> Brief:
        """The clinician's own open items for each episode whose review is within ``brief_days``."""
        entries = []
        for auth in self.store.list_authorizations(tenant=tenant, status="active"):
            if clinician not in {m.user_id for m in auth.care_team}:
                continue
            days = (auth.review_date - day).days
            if days > self.policy.brief_days or day > auth.end:
                continue
            try:
                items = open_items(self.registry, self.store, auth, day)
            except RulePackError as exc:
                log.warning("authorization %s left out of a brief: %s", auth.id, exc)
                continue
            mine = [i for i in items if i.status == "open" and i.owner_user == clinician]
            if not mine:
                continue
            entries.append(BriefEntry(
                authorization_id=auth.id, patient_ref=auth.patient_ref, payer=auth.payer,
                review_date=auth.review_date, days_to_review=days,
                visits_remaining=auth.visits_authorized - auth.visits_used, items=mine,
                text=brief_text(mine, auth.review_date)))
        return Brief(clinician=clinician, date=day, entries=entries)

    def run_daily(self, day: dt.date, tenant: str | None = None) -> DailyRun:
        """Close met items, end expired authorizations, create due alerts once, deliver new ones."""
        new: list[Alert] = []
        closed = 0
        active = self.store.list_authorizations(tenant=tenant, status="active")
        renewed = len(self.store.list_authorizations(tenant=tenant, status="renewed"))
        for auth in active:
            if day > auth.end:
                self.store.set_status(auth.id, "ended")
                continue
            try:
                items = open_items(self.registry, self.store, auth, day)
            except RulePackError as exc:  # one authorization's bad data must not stop everybody's alerts
                log.warning("authorization %s skipped in the daily pass: %s", auth.id, exc)
                continue
            closed += sum(1 for i in items if i.status == "met")
            new += self._due_alerts(auth, [i for i in items if i.status == "open"], day)
        for alert in new:
            self._deliver(alert)
        return DailyRun(date=day, authorizations=len(active), items_closed=closed, alerts=new,
                        skipped_renewed=renewed)

    def _due_alerts(self, auth: Authorization, still_open: list[Any], day: dt.date) -> list[Alert]:
        out = []
        level = self.policy.level((auth.review_date - day).days)
        if level is not None and still_open:
            by_owner: dict[str, list[Any]] = {}
            for item in still_open:
                if item.owner_user:
                    by_owner.setdefault(item.owner_user, []).append(item)
            if level == "escalated":  # the case manager sees everything still open the day before
                manager = owner_of(auth, "case_manager")
                if manager and manager not in by_owner:
                    by_owner[manager] = list(still_open)
            for recipient, items in by_owner.items():
                text = f"{auth.patient_ref}: " + brief_text(items, auth.review_date, _LEADS[level])
                out.append(Alert(alert_id=_alert_id(auth, recipient, level), authorization_id=auth.id,
                                 recipient=recipient, level=level, day=day, text=text,
                                 items=[i.item_id for i in items]))
        remaining = auth.visits_authorized - auth.visits_used
        therapist = owner_of(auth, "therapist")
        if remaining <= self.policy.visits_warning and therapist:
            text = (f"{auth.patient_ref}: {remaining} authorized visit(s) left on {auth.auth_ref}; "
                    f"request continued authorization before they run out.")
            out.append(Alert(alert_id=_alert_id(auth, therapist, "visit_cap"), authorization_id=auth.id,
                             recipient=therapist, level="visit_cap", day=day, text=text, items=[]))
        return [a for a in out if self.store.add_alert(a)]

    def _deliver(self, alert: Alert) -> None:
        """POST the alert to the practice's webhook when one is configured (in-app delivery is the store)."""
        if not self.webhook_url:
            return
        try:
            response = httpx.post(self.webhook_url, json=alert.model_dump(mode="json"), timeout=10)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            log.warning("webhook delivery of alert %s failed: %s", alert.alert_id, type(exc).__name__)
            return
        self.store.mark_delivered(alert.alert_id)

    def renew(self, auth_id: str) -> Authorization:
        """The payer renewed the authorization: its items and alerts stop."""
        self.store.get(auth_id)
        self.store.set_status(auth_id, "renewed")
        return self.store.get(auth_id)
