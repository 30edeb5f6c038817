"""Deterministic billing checks from the rule pack: time bands, minimums, add-ons, telehealth."""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel

from assistant.copilot.rulepacks import CheckStatus, CodeRule, RulePack, TelehealthRule

EM_CODE = re.compile(r"^99\d{3}$")
_HOME = re.compile(
    r"\b(?:at|from|in)\s+(?:(?:his|her|their|the\s+\w+'s)\s+)?(?:own\s+)?home\b|\bhome\s+alone\b",
    re.IGNORECASE,
)
_NOT_HOME = re.compile(
    r"\b(?:from|at|in)\s+(?:(?:his|her|their)\s+)?(?:car|workplace|work\s+office|office\s+at\s+work|school|dorm|vehicle)\b",
    re.IGNORECASE,
)
_AUDIO_ONLY = re.compile(r"\baudio[- ]only\b|\bby\s+(?:tele)?phone\b|\bphone\s+session\b", re.IGNORECASE)
_VIDEO = re.compile(r"\baudio[- ]video\b|\bby\s+video\b|\bvideo\s+(?:session|visit|call)\b", re.IGNORECASE)


class CodeCheck(BaseModel):
    """One billing check's outcome."""

    check: str
    status: CheckStatus
    message: str
    suggested_code: str | None = None


class Claim(BaseModel):
    """The billing facts a note is checked against."""

    cpt: str
    addons: list[str] = []
    minutes: int | None = None
    pos: str | None = None
    modifiers: list[str] = []

    @property
    def codes(self) -> list[str]:
        """Primary code and add-ons."""
        return [self.cpt, *self.addons]

    @property
    def has_em(self) -> bool:
        """Whether an E/M code is on the claim."""
        return any(EM_CODE.match(c) for c in self.codes)


def _band(rule: CodeRule) -> str:
    hi = f"{rule.max_minutes}" if rule.max_minutes else "+"
    return f"{rule.min_minutes}–{hi}" if rule.max_minutes else f"{rule.min_minutes}+"


def _fits(rule: CodeRule, minutes: int) -> bool:
    return rule.min_minutes is not None and minutes >= rule.min_minutes and (
        rule.max_minutes is None or minutes <= rule.max_minutes
    )


def check_time_band(pack: RulePack, claim: Claim) -> CodeCheck | None:
    """Minutes vs the billed code's band, with the code of the same family that fits."""
    rule = pack.codes[claim.cpt]
    if claim.minutes is None:
        return None
    minutes = claim.minutes
    for addon in claim.addons:
        extra = pack.codes.get(addon)
        if extra and extra.extends_total_minutes and claim.cpt in extra.requires:
            if minutes >= extra.extends_total_minutes:
                return CodeCheck(check="time_band", status="pass", message=f"{minutes} min supports {claim.cpt} + {addon}")
            return CodeCheck(
                check="time_band",
                status="fail",
                message=f"{addon} needs {extra.extends_total_minutes}+ min in total; {minutes} min supports {claim.cpt} alone",
                suggested_code=claim.cpt,
            )
    if rule.family is None:
        return None
    if _fits(rule, minutes):
        return CodeCheck(check="time_band", status="pass", message=f"{minutes} min is within the {claim.cpt} band {_band(rule)}")
    siblings = [code for code, r in pack.codes.items() if r.family == rule.family and _fits(r, minutes)]
    suggested = siblings[0] if siblings else None
    tail = f"time supports {suggested}" if suggested else "no code of this family is billable for this time"
    return CodeCheck(
        check="time_band",
        status="fail",
        message=f"{minutes} min is outside the {claim.cpt} band {_band(rule)}; {tail}",
        suggested_code=suggested,
    )


def check_minimum_time(pack: RulePack, claim: Claim) -> CodeCheck | None:
    """The least time any code of this kind can be billed for."""
    rule = pack.codes[claim.cpt]
    if claim.minutes is None or rule.min_minutes is None:
        return None
    floor = min(
        (r.min_minutes for r in pack.codes.values() if rule.family and r.family == rule.family and r.min_minutes),
        default=rule.min_minutes,
    )
    if claim.minutes >= floor:
        return CodeCheck(check="minimum_time", status="pass", message=f"{claim.minutes} min meets the {floor}-minute minimum")
    suggested = rule.under_minimum_code_with_em if claim.has_em and rule.under_minimum_code_with_em else rule.under_minimum_code
    tail = f"bill {suggested} instead" if suggested else "not separately billable as " + rule.service
    return CodeCheck(
        check="minimum_time",
        status="fail",
        message=f"{claim.minutes} min is under the {floor}-minute minimum for {claim.cpt}; {tail}",
        suggested_code=suggested,
    )


def check_addons(pack: RulePack, claim: Claim) -> CodeCheck | None:
    """Add-on codes with their allowed primaries, required companions and E/M pairing."""
    addon_codes = [c for c in claim.codes if c in pack.codes and pack.codes[c].addon]
    if not claim.addons and not addon_codes:
        return None
    problems: list[str] = []
    for code in addon_codes:
        rule = pack.codes[code]
        others = [c for c in claim.codes if c != code]
        if rule.requires and not set(rule.requires) & set(others):
            problems.append(f"{code} is an add-on to {'/'.join(rule.requires)} only")
        if rule.requires_em and not claim.has_em:
            problems.append(f"{code} is a psychotherapy add-on and needs an E/M code (99xxx) on the same claim")
        if rule.allowed_with is not None:
            primaries = [c for c in others if c in pack.codes and not EM_CODE.match(c)]
            bad = [c for c in primaries if c not in rule.allowed_with and pack.codes[c].addon is False]
            if bad or not primaries:
                problems.append(f"{code} may not be reported with {', '.join(bad) or 'no allowed primary code'}")
        banned = sorted(set(rule.never_with) & set(others))
        if banned:
            problems.append(f"{code} may never be reported with {', '.join(banned)}")
    if problems:
        return CodeCheck(check="addon_compatibility", status="fail", message="; ".join(dict.fromkeys(problems)))
    return CodeCheck(check="addon_compatibility", status="pass", message="add-on codes are compatible with the primary code")


def _cite(rule: TelehealthRule) -> str:
    return "; ".join(f"{c.policy_id} §{c.section}" for c in rule.citations)


def check_telehealth(pack: RulePack, claim: Claim, note: str) -> CodeCheck | None:
    """POS and modifiers as this payer requires, and audio-only coverage of the code."""
    rule = pack.telehealth
    mods = set(claim.modifiers)
    audio_only = rule.audio_modifier in mods or (not mods and bool(_AUDIO_ONLY.search(note)) and not _VIDEO.search(note))
    if claim.pos not in ("02", "10") and not mods & {rule.audio_modifier, rule.video_modifier}:
        return None
    where = f" ({_cite(rule)})" if rule.citations else ""
    problems: list[str] = []
    if claim.pos not in rule.pos_allowed:
        problems.append(f"POS {claim.pos} is not accepted for telehealth lines; use {' or '.join(rule.pos_allowed)}")
    else:
        at_home = bool(_HOME.search(note)) and not _NOT_HOME.search(note)
        away = bool(_NOT_HOME.search(note)) and not _HOME.search(note)
        if at_home and rule.pos_home and claim.pos != rule.pos_home:
            problems.append(f"the note places the patient at home, so POS {rule.pos_home} is required")
        if away and rule.pos_other and claim.pos != rule.pos_other:
            problems.append(f"the note places the patient away from home, so POS {rule.pos_other} is required")
    exclusive = set(rule.exclusive_modifiers)
    if len(mods & exclusive) > 1:
        problems.append(f"modifiers {' and '.join(sorted(mods & exclusive))} may not be used together")
    if audio_only:
        allowed = rule.audio_only_codes
        if rule.audio_modifier not in mods:
            problems.append(f"audio-only service needs modifier {rule.audio_modifier}")
        for code in claim.codes:
            if allowed is not None and code in pack.codes and code not in allowed:
                problems.append(f"audio-only telehealth is not covered for {code}")
    elif rule.video_modifier_required and rule.video_modifier not in mods:
        problems.append(f"audio-video telehealth needs modifier {rule.video_modifier}")
    if problems:
        return CodeCheck(check="telehealth", status="fail", message="; ".join(problems) + where)
    kind = "audio-only" if audio_only else "audio-video"
    return CodeCheck(check="telehealth", status="pass", message=f"{kind} telehealth: POS {claim.pos} and modifiers {', '.join(sorted(mods)) or 'none'} as required{where}")


CHECKS: tuple[Callable[[RulePack, Claim], CodeCheck | None], ...] = (check_time_band, check_minimum_time, check_addons)


def run_code_checks(pack: RulePack, claim: Claim, note: str) -> list[CodeCheck]:
    """Every check that applies to the claim, in a fixed order."""
    results = [check(pack, claim) for check in CHECKS]
    results.append(check_telehealth(pack, claim, note))
    return [r for r in results if r is not None]
