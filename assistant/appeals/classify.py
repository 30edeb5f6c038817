"""Classify a denial: root cause, appealability, action, routes, deadline and appeal level.

The rules are data (``assistant/appeals/rules.yaml``, or ``PARITY_APPEAL_RULES``): reason
codes map to buckets, wording classifies letters without codes, actions and routes follow the
bucket and the amount, and the deadline comes from the payer's rule pack in force on the
denial date (``appeal`` section) or the configured default.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import BaseModel, Field

from assistant.appeals.models import Action, Bucket, Classification, Denial
from assistant.copilot.rulepacks import RulePackError, RulePackRegistry

RULES = Path(__file__).with_name("rules.yaml")


class RoutingRules(BaseModel):
    """Who gets a denial."""

    senior_billing_over: float = 250.0
    clinical_liaison_buckets: list[str] = Field(default_factory=lambda: ["medical_necessity", "documentation"])
    default: str = "billing"
    joint_review: dict[str, int] = Field(default_factory=lambda: {"more_than": 10, "days": 30})


class AppealRulesConfig(BaseModel):
    """The classification rules file."""

    carc: dict[str, str]
    telehealth_carc: list[str]
    telehealth_signs: str
    priority: list[str]
    wording: dict[str, str]
    actions: dict[str, str]
    clinical_buckets: list[str]
    wrong_payer_carc: list[str]
    patient_responsibility_group: str = "PR"
    not_covered_appeal_signs: str = r"classified\s+as|reclassif|misclassif|parity"
    authorization_write_off_signs: str = r"authori[sz]ation\s+was\s+never\s+requested"
    routing: RoutingRules

    def compiled_wording(self) -> list[tuple[str, re.Pattern[str]]]:
        """Wording patterns in file order."""
        return [(bucket, re.compile(p, re.IGNORECASE)) for bucket, p in self.wording.items()]


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES) -> AppealRulesConfig:
    """Load the rules file (cached)."""
    return AppealRulesConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def detect_payer(text: str, payers: list[str]) -> str | None:
    """The known payer a document names ("Lakeshore Health" → ``lakeshore-health``)."""
    low = text.lower()
    for payer in payers:
        words = payer.split("-")
        if " ".join(words) in low or payer in low or (len(words[0]) > 5 and re.search(rf"\b{re.escape(words[0])}\b", low)):
            return payer
    return None


def root_cause(denial: Denial, rules: AppealRulesConfig, text: str) -> tuple[Bucket, str]:
    """The bucket and the basis for it (codes first, then wording)."""
    telehealth = bool(re.search(rules.telehealth_signs, text, re.IGNORECASE)) or bool(
        {"95", "93", "GT"} & set(denial.modifiers) or denial.place_of_service in ("02", "10")
    )
    buckets = []
    for code in denial.carc:
        bucket = rules.carc.get(code.upper().lstrip("0") or code)
        if bucket == "coding" and code in rules.telehealth_carc and telehealth:
            bucket = "telehealth"
        if bucket:
            buckets.append((bucket, code))
    meaningful = [b for b in buckets if b[0] != "contractual"] or buckets
    if meaningful:
        best = min(meaningful, key=lambda b: rules.priority.index(b[0]))
        return cast(Bucket, best[0]), f"CARC {best[1]}"
    for bucket, pattern in rules.compiled_wording():
        m = pattern.search(text)
        if m:
            return cast(Bucket, bucket), f"wording: \"{' '.join(m.group(0).split())[:80]}\""
    return "medical_necessity", "no code or known wording; treated as a clinical denial for review"


def routes_for(bucket: str, amount: float, rules: AppealRulesConfig, recent_same_cause: int = 0) -> list[str]:
    """Routes in order: senior billing (amount), clinical liaison (clinical bucket), joint review (pattern)."""
    r = rules.routing
    routes = []
    if amount > r.senior_billing_over:
        routes.append("senior_billing")
    if bucket in r.clinical_liaison_buckets:
        routes.append("clinical_liaison")
    if not routes:
        routes.append(r.default)
    if recent_same_cause > r.joint_review.get("more_than", 10):
        routes.append("joint_review")
    return routes


def classify(
    denial: Denial,
    text: str,
    registry: RulePackRegistry,
    rules: AppealRulesConfig | None = None,
    recent_same_cause: int = 0,
    default_deadline_days: int | None = None,
) -> Classification:
    """Classify ``denial`` (``text``: the document it was read from)."""
    rules = rules or load_rules()
    if denial.payer and denial.payer not in registry.payers:
        denial.payer = detect_payer(denial.payer, registry.payers) or denial.payer
    if not denial.payer or denial.payer not in registry.payers:
        denial.payer = detect_payer(text, registry.payers) or denial.payer
    bucket, basis = root_cause(denial, rules, text)
    action = cast(Action, rules.actions[bucket])
    if bucket == "eligibility" and set(denial.carc) & set(rules.wrong_payer_carc):
        action = "corrected_claim"
    if bucket == "not_covered" and not re.search(rules.not_covered_appeal_signs, text, re.IGNORECASE):
        action = "write_off"  # a true exclusion; appeal only a misclassification or a parity question
    if bucket == "authorization" and re.search(rules.authorization_write_off_signs, text, re.IGNORECASE):
        action = "write_off"  # never requested for a routine visit: nothing to argue
    if denial.group == rules.patient_responsibility_group:
        action = "patient_responsibility"  # the plan assigned the amount to the patient (e.g. a signed waiver)
    appealable = action == "appeal"
    routes = routes_for(bucket, denial.amount_denied, rules, recent_same_cause)
    deadline, level, source = None, None, None
    if appealable:
        deadline, level, source = _deadline(denial, bucket, registry, rules, default_deadline_days)
    return Classification(denial=denial, root_cause=bucket, appealable=appealable, action=action, routes=routes,
                          deadline=deadline, level=level, basis=basis, deadline_source=source)


def _deadline(denial: Denial, bucket: str, registry: RulePackRegistry, rules: AppealRulesConfig,
              default_days: int | None) -> tuple[dt.date | None, str | None, str | None]:
    day = denial.denial_date
    payer = denial.payer if denial.payer in registry.payers else None
    try:
        pack = registry.resolve(payer, day)
    except RulePackError:
        pack = registry.resolve(None, day)
    appeal: Any = pack.appeal
    if appeal is None:
        return None, None, None
    administrative = appeal.administrative is not None and bucket in appeal.administrative_buckets
    rule = appeal.administrative if administrative else appeal.clinical
    days = rule.deadline_days if payer or default_days is None else default_days
    source = f"{rule.citation.policy_id} §{rule.citation.section} ({pack.id} {pack.version})" if rule.citation else \
        f"default {days} days (no payer policy)"
    return (day + dt.timedelta(days=days) if day else None), rule.level, source
