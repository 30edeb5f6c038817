"""Rule packs: a payer's documentation requirements and code rules, as versioned YAML data.

A pack lives in ``assistant/rulepacks/<pack id>/<version>.yaml``. The ``baseline`` pack
implements the generic rules (DOMAIN §3–§4); a payer pack names ``extends: baseline`` and
overrides what its policies say differently, citing ``policy_id`` + ``section``. The pack
version in force on the date of service is the one whose effective dates contain it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

PACK_DIR = Path(__file__).resolve().parent.parent / "rulepacks"

GENERAL_ELEMENTS = (
    "diagnosis",
    "symptoms_severity",
    "functional_impairment",
    "treatment_plan_goals",
    "interventions",
    "response_progress",
    "risk_assessment",
    "continued_care_rationale",
    "time_documentation",
    "modality_participants",
    "plan",
    "provider_signature",
)
CODE_ELEMENTS = (
    "extended_session_justification",
    "crisis_elements",
    "family_focus",
    "interactive_complexity_factor",
)
ELEMENT_IDS = GENERAL_ELEMENTS + CODE_ELEMENTS


class RulePackError(ValueError):
    """A rule pack file is malformed, or no pack applies."""


class Citation(BaseModel):
    """A policy section a rule rests on."""

    policy_id: str
    section: str
    note: str | None = None


class ElementRule(BaseModel):
    """One required documentation element."""

    label: str
    description: str = ""
    codes: list[str] | None = None  # None: every code in the pack
    examples: list[str] = Field(default_factory=list)
    suggestion: str = ""
    citations: list[Citation] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict)


class CodeRule(BaseModel):
    """Time band and pairing rules of one CPT code."""

    service: str
    family: str | None = None  # codes of one family differ only by time band
    min_minutes: int | None = None
    max_minutes: int | None = None
    addon: bool = False
    requires_em: bool = False
    requires: list[str] = Field(default_factory=list)  # one of these primaries must be billed
    allowed_with: list[str] | None = None  # add-on: primaries it may accompany
    never_with: list[str] = Field(default_factory=list)
    under_minimum_code: str | None = None  # what to bill under the minimum
    under_minimum_code_with_em: str | None = None
    extends_total_minutes: int | None = None  # add-on needing this total time on the primary


class TelehealthRule(BaseModel):
    """Place-of-service and modifier rules for telehealth lines."""

    pos_allowed: list[str]
    pos_home: str | None = None  # required POS when the patient is at home
    pos_other: str | None = None  # required POS elsewhere
    video_modifier: str = "95"
    video_modifier_required: bool = True
    audio_modifier: str = "93"
    audio_only_codes: list[str] | None = None  # None: any code
    exclusive_modifiers: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class AppealRule(BaseModel):
    """First-level appeal window and its policy source."""

    deadline_days: int = Field(gt=0)
    level: str
    citation: Citation | None = None


class AppealRules(BaseModel):
    """Appeal windows for clinical denials and, where the payer differs, administrative disputes."""

    clinical: AppealRule
    administrative: AppealRule | None = None
    administrative_buckets: list[str] = Field(
        default_factory=lambda: ["coding", "telehealth", "credentialing", "eligibility", "timely_filing", "duplicate", "contractual"],
        description="Root causes that go through the administrative route when the payer has one.",
    )


class ContinuedCareItem(BaseModel):
    """What a concurrent review will ask for, who documents it, and how a note shows it.

    An item is met by a signed note in the authorization period when the co-pilot finds ``element``
    met in it (if set) and one of ``patterns`` matches it (if set; case-insensitive regexes).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    owner: Literal["therapist", "prescriber", "case_manager"]
    ask: str = Field(description="Completes 'Next note must address: …'.")
    element: str | None = None
    patterns: list[str] = Field(default_factory=list)
    requires_role: Literal["prescriber"] | None = Field(
        default=None, description="Only for episodes whose care team has this role (e.g. medication items)."
    )
    citation: Citation | None = None

    @model_validator(mode="after")
    def _evidence(self) -> ContinuedCareItem:
        if self.element is None and not self.patterns:
            raise ValueError(f"continued-care item {self.id}: needs an element or patterns")
        if self.element is not None and self.element not in ELEMENT_IDS:
            raise ValueError(f"continued-care item {self.id}: unknown element {self.element!r}")
        for pattern in self.patterns:
            re.compile(pattern)
        return self


class ContinuedCareRules(BaseModel):
    """The payer's concurrent-review documentation items."""

    items: list[ContinuedCareItem]


class RulePack(BaseModel):
    """One version of a pack, after inheritance is applied."""

    id: str
    version: str
    title: str
    payer: str | None = None
    extends: str | None = None
    effective_from: dt.date
    effective_to: dt.date | None = None
    elements: dict[str, ElementRule]
    codes: dict[str, CodeRule]
    telehealth: TelehealthRule
    appeal: AppealRules | None = None
    continued_care: ContinuedCareRules | None = None
    source: str = ""

    @model_validator(mode="after")
    def _known_ids(self) -> RulePack:
        unknown = sorted(set(self.elements) - set(ELEMENT_IDS))
        if unknown:
            raise ValueError(f"unknown element ids {unknown}; known: {list(ELEMENT_IDS)}")
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def in_force(self, day: dt.date) -> bool:
        """Whether this version applies on ``day``."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def elements_for(self, codes: list[str]) -> dict[str, ElementRule]:
        """The elements required for a claim with these codes, in pack order."""
        wanted = set(codes)
        return {
            eid: rule for eid, rule in self.elements.items() if rule.codes is None or wanted & set(rule.codes)
        }


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: mappings merge key by key, anything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RulePackError(f"{path.name}: not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise RulePackError(f"{path.name}: a rule pack is a mapping")
    return data


class RulePackRegistry:
    """All packs of a folder, every version, with inheritance resolved."""

    def __init__(self, directory: Path = PACK_DIR) -> None:
        """Load and validate every ``<pack>/<version>.yaml`` under ``directory``."""
        raw: dict[str, list[dict[str, Any]]] = {}
        for path in sorted(directory.glob("*/*.yaml")):
            data = _read(path)
            if data.get("id") != path.parent.name:
                raise RulePackError(f"{path}: id must be the folder name {path.parent.name!r}")
            raw.setdefault(path.parent.name, []).append(data)
        self._raw = raw
        self.packs: dict[str, list[RulePack]] = {}
        for pack_id in raw:
            self.packs[pack_id] = [self._build(pack_id, d) for d in raw[pack_id]]
            self.packs[pack_id].sort(key=lambda p: p.effective_from)

    def _build(self, pack_id: str, data: dict[str, Any]) -> RulePack:
        parent = data.get("extends")
        merged = data
        if parent:
            if parent not in self._raw:
                raise RulePackError(f"{pack_id}: extends unknown pack {parent!r}")
            start = dt.date.fromisoformat(str(data["effective_from"]))
            base = self._raw_in_force(parent, start)
            inherited = {k: v for k, v in base.items() if k in ("elements", "codes", "telehealth", "appeal", "continued_care")}
            merged = _merge(inherited, data)
        try:
            return RulePack.model_validate(merged)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise RulePackError(f"rule pack {pack_id} {data.get('version')}: {where}: {first['msg']}") from exc

    def _raw_in_force(self, pack_id: str, day: dt.date) -> dict[str, Any]:
        versions = sorted(self._raw[pack_id], key=lambda d: str(d["effective_from"]))
        chosen = versions[0]
        for d in versions:
            if dt.date.fromisoformat(str(d["effective_from"])) <= day:
                chosen = d
        return chosen

    @property
    def payers(self) -> list[str]:
        """Payers that have a pack."""
        return sorted({p.payer for versions in self.packs.values() for p in versions if p.payer})

    def resolve(self, payer: str | None, day: dt.date | None = None) -> RulePack:
        """The pack version for ``payer`` (``None``: baseline) in force on ``day`` (default today)."""
        day = day or dt.date.today()
        pack_id = payer or "baseline"
        if pack_id not in self.packs:
            raise RulePackError(f"unknown payer {payer!r}; known payers: {', '.join(self.payers)}")
        for pack in reversed(self.packs[pack_id]):
            if pack.in_force(day):
                return pack
        spans = ", ".join(f"{p.version} from {p.effective_from}" for p in self.packs[pack_id])
        raise RulePackError(f"no {pack_id} rule pack is in force on {day.isoformat()} (versions: {spans})")


@lru_cache(maxsize=1)
def get_registry() -> RulePackRegistry:
    """The packs shipped with Parity (loaded once)."""
    return RulePackRegistry()


CheckStatus = Literal["pass", "warn", "fail"]
