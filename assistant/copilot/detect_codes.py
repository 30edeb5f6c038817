"""Detectors for code-specific elements: extended session, crisis, family focus, interactive complexity."""

from __future__ import annotations

import re
from typing import Any

from assistant.copilot.detect_clinical import MEASURE, SYMPTOM, is_goal_statement, is_rationale_statement
from assistant.copilot.findings import Finding, rx, unique
from assistant.copilot.segments import NoteDoc, Segment

_EXTENDED = re.compile(
    r"\bextended\b|\blonger\s+(?:session|time)\b|\b(?:full\s+)?60[- ]min\w*|\b(?:additional|extra|more)\s+time\b|"
    r"\b(?:53|55|60)\+?\s*min|\b(?:run|ran|go|went|continue\w*)\s+(?:past|over|beyond|longer)|\bbeyond\s+(?:the\s+)?(?:45|standard|usual)|\bpast\s+(?:the\s+)?(?:45|standard)|"
    r"\bexceed\w*\b|\bran\s+(?:over|long)\b|\bprolonged\s+(?!exposure)\w+|\b(?:required|needed|necessitated)\s+(?:the\s+)?(?:full|longer|extended)|"
    r"\blength\s+(?:of\s+(?:the\s+)?session\s+)?(?:was\s+)?(?:necessary|required|needed|justified)|\btime\s+(?:was\s+)?(?:necessary|required|needed)",
    re.IGNORECASE,
)
_WHY = re.compile(
    r"\bbecause\b|\bdue\s+to\b|\bto\s+(?:complete|finish|allow|address|conduct|process|assess|develop|ensure|stabilize|accommodate)\b|"
    r"\brequired\b|\bneeded\b|\bnecessary\b|\bnecessitated\b|\bin\s+order\s+to\b|\bgiven\b|\bfor\s+(?:the\s+)?(?:full|complete)|\bprotocol\b|\binterpreter\b",
    re.IGNORECASE,
)
_STALE = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few)\s+(weeks?|months?)\s+ago\b|"
                    r"\bnot\s+(?:repeated|re-?administered|administered|completed|updated)\b|\bover\s+a\s+month\b|\blast\s+(?:quarter|year)\b",
                    re.IGNORECASE)
_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3}


def _stale_days(text: str) -> int | None:
    m = _STALE.search(text)
    if not m:
        return None
    if not m.group(1):
        return 10_000
    raw = m.group(1).lower()
    n = int(raw) if raw.isdigit() else _NUM.get(raw, 2)
    return n * (30 if m.group(2).lower().startswith("month") else 7)


def detect_extended(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """A clinical reason the session ran past the 45-minute length; time alone never counts."""
    reasons = [s for s in doc.segments if _EXTENDED.search(s.text) and _WHY.search(s.text)]
    if not reasons:
        return Finding.missing("no reason given for the extended session")
    window = options.get("measure_within_days")
    if window:
        measures = [s for s in doc.segments if MEASURE.search(s.text) and not is_goal_statement(s)]
        stale = [s for s in measures if (_stale_days(s.text) or 0) > int(window)]
        if not measures or len(stale) == len(measures):
            return Finding("partial", unique(reasons[:1] + stale[:1]), f"reason given, but no standardized measure within {window} days")
        return Finding("met", unique(reasons[:2] + measures[:1]), f"reason given, measure within {window} days")
    return Finding("met", reasons[:2], "clinical reason for the extended session")


_PRECIPITANT = re.compile(
    r"\bcrisis\b|\bprecipitat\w*|\btrigger\w*|\bafter\s+(?:learning|finding|being|discovering|receiving|a|an|the|his|her|their)\b|"
    r"\bfollowing\s+(?:a|an|the|his|her)\b|\bwalk-?in\b|\bemergenc\w*|\bacute\w*|\bpresented\s+(?:in|with|after|tearful|distraught|agitated)|"
    r"\bcalled\s+(?:in|the\s+clinic|the\s+office|911)|\bsame[- ]day\b|\bunscheduled\b|\burgent\w*",
    re.IGNORECASE,
)
_MSE = re.compile(
    r"\bMSE\b|\bmental\s+status\b|\boriented\b|\balert\b|\baffect\b|\bthought\s+(?:process|content)\b|\bpsychomotor\b|"
    r"\bspeech\b|\binsight\b|\bjudg(?:e)?ment\b|\bmood\b|\bperception\b|\bhallucinat\w*|\bcognition\b|\bappearance\b",
    re.IGNORECASE,
)
_DEFUSE = re.compile(
    r"\bde-?escalat\w*|\bgrounding\b|\bcalm\w*|\bsafety\s+plan\w*|\bbreathing\b|\bcrisis\s+intervention\b|\bstabiliz\w*|"
    r"\bvalidat\w*|\bproblem[- ]solv\w*|\bmeans\s+restriction\b|\blethal\s+means\b|\bremov\w*\s+(?:the\s+)?(?:firearm|gun|pills|medication)|"
    r"\bcontain\w*|\bcoping\b|\bsupportive\s+confrontation\b|\bDBT\b|\bTIPP\b|\breduce\w*\s+(?:distress|agitation)",
    re.IGNORECASE,
)
_DISPOSITION = re.compile(
    r"\bdisposition\b|\bdischarged\b|\breleased\b|\bhome\s+with\b|\breturned\s+home\b|\bwent\s+home\b|\breferred\b|\btransport\w*|"
    r"\badmitted\b|\bhospital\w*|\bemergency\s+department\b|\bED\b|\bmobile\s+crisis\b|\bsafe\s+to\s+(?:return|go|leave)\b|"
    r"\bfollow[- ]?up\s+(?:tomorrow|call|appointment|in|within|on|scheduled)|\bcheck-?in\s+(?:call|tomorrow)|\bcrisis\s+line\b|\b988\b|"
    r"\bplan\s+to\s+(?:return|stay)\b|\bleft\s+(?:the\s+)?(?:session|office|clinic)\b|\bwill\s+stay\s+with\b|\bstaying\s+with\b",
    re.IGNORECASE,
)


_BILLING = re.compile(r"\b(?:billed|coded|submitted)\s+as\s+(?:a\s+)?crisis\b|\bcrisis\s+(?:psychotherapy|code|session)\b|\bcrisis\s*\(?9\d{4}\)?", re.IGNORECASE)


def detect_crisis(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """Crisis precipitant, urgent assessment with mental status, de-escalation and disposition."""
    parts = {
        "precipitant": [s for s in doc.segments if _PRECIPITANT.search(_BILLING.sub(" ", s.text))],
        "mental status": [s for s in doc.segments if _MSE.search(s.text)],
        "de-escalation": [s for s in doc.segments if _DEFUSE.search(s.text)],
        "disposition": [s for s in doc.segments if _DISPOSITION.search(s.text) or (s.section == "plan" and re.search(r"\b(?:home|safe|tomorrow|hospital|follow)\b", s.text, re.IGNORECASE))],
    }
    present = [name for name, segs in parts.items() if segs]
    evidence = unique(s for segs in parts.values() for s in segs[:1])
    if len(present) == 4:
        return Finding("met", evidence, "crisis precipitant, mental status, de-escalation and disposition documented")
    if "precipitant" in present and len(present) >= 2:
        absent = ", ".join(n for n in parts if n not in present)
        return Finding("partial", evidence, f"crisis documentation lacks: {absent}")
    if "precipitant" in present:
        return Finding("partial", evidence, "crisis named; assessment, de-escalation and disposition not documented")
    return Finding.missing("the note reads as a routine session, not a crisis")


_FAMILY_WHO = rx(r"mother", r"father", r"mom", r"dad", r"parents?", r"family", r"spouse", r"partner", r"wife", r"husband",
                 r"siblings?", r"sister", r"brother", r"grand\w+", r"guardian", r"caregivers?", r"step\w+", r"\[(?:PARENT|PERSON|FAMILY)_\d+\]")
_IP = rx(r"IP", r"identified\s+patient", r"client\W?s?", r"patient\W?s?", r"son\W?s?", r"daughter\W?s?", r"child\W?s?", r"teen\W?s?",
         r"youth\W?s?", r"adolescent\W?s?", r"his", r"her", r"\[PATIENT_\d+\]\W?s?", r"member\W?s?", r"enrollee\W?s?")
_HOW = re.compile(
    r"\bcoach\w*|\btaught\b|\bteach\w*|\bpractic\w*|\brole[- ]?play\w*|\bhelp\w*\s+(?:the\s+)?(?:parents?|family|mother|father|them)|"
    r"\bso\s+that\b|\bin\s+order\s+to\b|\bto\s+(?:reduce|support|respond|decrease|increase|improve|reinforce|help|address|manage|prevent|recognize|identify|use)\b|"
    r"\bplanned\b|\bagreed\s+(?:to|on)\b|\bdeveloped\b|\bpsychoeducation\b|\bmodel\w*\b|\breinforc\w*|\baccommodat\w*|\bresponses?\s+to\b|"
    r"\bwhen\s+(?:she|he|the\s+IP|the\s+client)\b|\bcommunication\b|\bcontingenc\w*|\bbehavior\s+plan\b|\bsafety\s+plan\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(SYMPTOM.pattern + r"|(?<![\w-])(?:goals?|exposure|treatment\s+plan|diagnos\w*|condition|behaviou?rs?|recovery|relapse|sobriety|school\s+refusal|eating|weight|meals)(?!\w)", re.IGNORECASE)


def detect_family_focus(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """How the family work addresses the identified patient's condition (not the family's own issues)."""
    how: list[Segment] = []
    what: list[Segment] = []
    for seg in doc.segments:
        if is_goal_statement(seg) or is_rationale_statement(seg):
            continue
        if not (_FAMILY_WHO.search(seg.text) and _CONDITION.search(seg.text) and _IP.search(seg.text)):
            continue
        (how if _HOW.search(seg.text) else what).append(seg)
    if how:
        return Finding("met", how[:2], "family work tied to the identified patient's condition")
    if what:
        return Finding("partial", what[:1], "says the family discussed the patient's condition, not how the session addressed it")
    return Finding.missing("family session content not linked to the identified patient's condition")


_FACTOR = re.compile(
    r"\binterpret\w*|\btranslat\w*|\bsign\s+language\b|\bASL\b|\bplay\s+(?:therapy|equipment|materials?|toys?|based)\b|\btoys?\b|"
    r"\bsand\s*tray\b|\bpuppets?\b|\bdolls?\b|\bdrawing\b|\bAAC\b|\bcommunication\s+(?:device|board)\b|\bhearing\s+(?:aid|impair\w*)|"
    r"\bmaladaptive\s+communication\b|\bargu\w*|\byell\w*|\bshout\w*|\binterrupt\w*|\bescalat\w*|\bhostil\w*|\bblam\w*|\bcriticiz\w*|"
    r"\bcaregiver\W?s?\s+(?:\w+\s+){0,3}(?:anxiety|anger|distress|emotions?|behaviou?r|tearful\w*)|\b(?:mother|father|parent)\W?s?\s+(?:\w+\s+){0,2}(?:anxiety|anger|distress|emotions?|tearful\w*|crying)|"
    r"\bmandated\s+report\w*|\bCPS\b|\bchild\s+protective\b|\bAPS\b|\badult\s+protective\b|\breport(?:ed)?\s+to\s+(?:the\s+)?(?:state|county|DCFS|police)|\bsentinel\s+event\b",
    re.IGNORECASE,
)
_EFFECT = re.compile(
    r"\brequir\w*|\bslow\w*|\blimit\w*|\binterfer\w*|\bredirect\w*|\bextra\s+time\b|\bhad\s+to\b|\bneeded\b|\bso\s+that\b|\bto\s+(?:engage|communicate|allow|overcome|complete)|"
    r"\bdisrupt\w*|\bprevent\w*|\bimpeded?\b|\bwhich\b|\bthroughout\b|\bdoubl\w*|\bpaus\w*|\bseparat\w*|\btook\b|\bfor\s+each\b|\bbecause\b",
    re.IGNORECASE,
)
_IC_GENERIC = re.compile(r"\binteractive\s+complexity\b(?!\s*\(?90785\)?\s*[.)]?$)|\bdifficult\s+(?:family\s+)?dynamics\b", re.IGNORECASE)


def detect_interactive_complexity(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """A qualifying factor for 90785 and how it affected the session."""
    factors = [s for s in doc.segments if _FACTOR.search(s.text)]
    with_effect = [s for s in factors if _EFFECT.search(s.text)]
    if with_effect:
        return Finding("met", with_effect[:2], "qualifying factor and its effect documented")
    if factors:
        return Finding("partial", factors[:1], "factor named without how it affected the session")
    generic = [s for s in doc.segments if _IC_GENERIC.search(s.text)]
    if generic:
        return Finding("partial", generic[:1], "interactive complexity claimed without a qualifying factor")
    return Finding.missing("no interactive-complexity factor documented")
