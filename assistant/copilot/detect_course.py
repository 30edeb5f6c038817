"""Detectors for the course of treatment: response and progress, risk, continued-care rationale."""

from __future__ import annotations

import re
from typing import Any

from assistant.copilot.detect_clinical import (
    about_member,
    is_goal_statement,
    owned_elsewhere,
)
from assistant.copilot.findings import Finding, negated, rx, unique
from assistant.copilot.segments import NoteDoc
from assistant.copilot.techniques import TECHNIQUE, is_intervention_statement

_RESPONSE = rx(
    r"respond\w*", r"response", r"engag\w*", r"receptive", r"was\s+able", r"were\s+able", r"able\s+to",
    r"identif\w*", r"demonstrat\w*", r"practic\w*", r"completed", r"generated", r"verbalized", r"agreed",
    r"participat\w*", r"insight", r"accept\w*", r"resist\w*", r"struggled", r"declined", r"open\s+to",
    r"reported\s+(?:that\s+)?(?:the|this)\s+\w+\s+helped", r"found\s+\w+\s+helpful", r"rated",
    r"reduc\w*", r"applied", r"used", r"tolerated", r"committed", r"chose", r"named", r"reframed",
    r"challeng\w*", r"disclosed", r"expressed", r"listed", r"wrote", r"planned", r"initiated",
)
_PROGRESS = re.compile(
    r"\bprogress\w*\b|\btoward\b|\bgoals?\b|\bfrom\s+\d+(?:/10)?\s+to\s+\d+|\bdown\s+from\b|\bup\s+from\b|"
    r"\b(?:decreas|declin|reduc|improv|increas|drop)\w*\b[^.;]{0,40}\d|\d[^.;]{0,40}\b(?:decreas|declin|reduc|improv|increas|drop)\w*|"
    r"\bsince\s+(?:last|the\s+last|intake|starting|beginning)\b|\bcompared\s+(?:with|to)\b|\b(?:first|second)\s+time\b|"
    r"\bfewer\b|\bless\s+(?:often|frequent)|\bno\s+longer\b|\bmet\s+(?:the\s+|her\s+|his\s+)?goal\b|\bnow\s+\w+|"
    r"\bworse\w*\b|\bregress\w*\b|\bno\s+(?:change|progress)\b|\bunchanged\b|\bplateau\w*\b|\bslow\s+progress\b|"
    r"\d+(?:/10|%)?\s*(?:→|->)\s*\d+|\bup\s+from\b|\bimprov\w*\b|\bgains?\b|\bstable\b|\bconsistent\w*\b|\bhomework\b|\bdays?\s+(?:in\s+a\s+row|sober|abstinent)\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\btolerated\s+(?:the\s+)?session\s+well\b|\b(?:reports?|reported|felt|feeling|feels)\s+(?:a\s+(?:bit|little)\s+|somewhat\s+)?better\b|"
    r"\bgood\s+session\b|\bsession\s+went\s+well\b|\bwas\s+(?:cooperative|pleasant)\b|\bappeared\s+to\s+benefit\b|"
    r"\b(?:was|were|felt|found\s+\w+)\s+(?:very\s+)?helpful\b|\bhelped\b|\bmight\s+try\b|\bagreed\s+to\s+try\b",
    re.IGNORECASE,
)


_CONCRETE = re.compile(
    r"\b(?:completed|identified|generated|practi[cs]ed|demonstrated|rated|named|signed|wrote|listed|reframed|challenged|"
    r"produced|applied|initiated|chose|set|drafted|sent|made|role-?played|tolerated\s+(?:the\s+)?(?:exposure|trial|imaginal)|"
    r"able\s+to|agreed\s+to\s+(?!try\b)|agreed\s+(?:with|on)|engaged\s+(?:in|with|fully|actively)|participated|"
    r"fell|dropped|decreased|reduced|improved|receptive|accepted|open\s+about|calmer|verbalized|disclosed|committed|"
    r"resisted|declined\s+to|struggled\s+to|unable\s+to\s+(?:identify|complete|engage)|refused|habituat\w*|"
    r"reported\s+(?:fewer|less|no\s+\w+|reduced|using|practicing|completing)|engaged\s+well|progress\s+toward|a\s+first|first\s+time|"
    r"acknowledged|was\s+able|were\s+able)\b",
    re.IGNORECASE,
)
_HEADER_WORDS = re.compile(r"\bprogress\s+note\b|\bidentified\s+patient\b", re.IGNORECASE)
_ASSESSMENT_LINE = re.compile(r"^\W*(?:MSE|mental\s+status|urgent\s+assessment)\b", re.IGNORECASE)


_SUBJECT = re.compile(r"\b(?:client|patient|member|enrollee|beneficiary|he|she|they|child|youth|teen|IP|parents?)\b|\[PATIENT_\d+\]", re.IGNORECASE)


_CLAUSE_BREAK = re.compile(r"[;—]|,\s+(?=(?:client|patient|he|she|they)\b)", re.IGNORECASE)


def _client_clause(text: str) -> bool:
    """An intervention sentence that goes on to say what the client did ("Used exposure; client rated fear 8/10 falling to 4/10")."""
    parts = _CLAUSE_BREAK.split(text, maxsplit=1)
    return len(parts) > 1 and _SUBJECT.search(parts[1]) is not None


def _unattributed_technique(seg: Any) -> bool:
    """An intervention line ("CBT: identified automatic thoughts …") says what was done, not how the client responded."""
    return bool(TECHNIQUE.search(seg.text)) and not _SUBJECT.search(seg.text)


def detect_response(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """A concrete response to this session's work or a measured trend → met; vague praise → partial."""
    concrete, vague = [], []
    for seg in doc.segments:
        if not about_member(seg) or is_goal_statement(seg) or owned_elsewhere(seg, "response_progress"):
            continue
        if (is_intervention_statement(seg) and not _client_clause(seg.text)) or _ASSESSMENT_LINE.search(seg.text) \
                or seg.section == "mse":
            continue  # the clinician's work or an examination finding, not the client's response
        text = _HEADER_WORDS.sub(" ", seg.text)
        trend = bool(re.search(r"\d[^.;]{0,30}(?:→|->|\bto\b|\bfrom\b|\bvs\.?\b)[^.;]{0,10}\d", text)) and bool(_PROGRESS.search(text))
        if _VAGUE.search(text) and not trend and not (_CONCRETE.search(_VAGUE.sub(" ", text)) and seg.section == "response"):
            vague.append(seg)
        elif trend or (_CONCRETE.search(text) and seg.section not in ("plan", "goal") and not _unattributed_technique(seg)):
            concrete.append(seg)
        elif seg.section == "response":
            vague.append(seg)
    if concrete:
        return Finding("met", unique(concrete)[:3], "response to the session's work documented")
    if vague:
        return Finding("partial", unique(vague)[:2], "only a general impression of the session; document the response and progress")
    return Finding.missing("no response or progress documented")


_SI = re.compile(r"\bSI\b|suicid\w*|self[- ]harm\w*|\bNSSI\b|kill(?:ing)?\s+(?:him|her|them)sel\w+|\bwish\w*\s+to\s+die\b|"
                 r"death\s+wish|passive\s+(?:death\s+)?(?:thoughts|wish\w*|ideation)|thoughts\s+of\s+(?:death|dying|not\s+waking)|(?:didn't|not)\s+wake\s+up|better\s+off\s+dead|end(?:ing)?\s+(?:his|her|their|my)\s+life|hurt(?:ing)?\s+(?:him|her|them)sel\w+|\bcutting\b|\bC-?SSRS\b", re.IGNORECASE)
_HI = re.compile(r"\bHI\b|homicid\w*|harm(?:ing)?\s+others|hurt(?:ing)?\s+(?:anyone|others|someone)|violen\w*\s+(?:toward|towards)", re.IGNORECASE)
_RISK_ANY = re.compile(r"\brisk\b|safety\s+plan\w*|\bsafety\b|lethal\s+means|firearms?|\bguns?\b", re.IGNORECASE)
_NOT_DONE = re.compile(
    r"\bnot\s+(?:\w+\s+){0,2}(?:assessed|asked|screened|addressed|evaluated|discussed|explored|completed|done|reviewed|inquired)\b|"
    r"\bdeferred\b|\bunable\s+to\s+assess\b|\bno\s+(?:\w+\s+){0,3}(?:assessed|assessment\s+(?:done|completed))\b|\bwas\s+not\s+asked\b|"
    r"\bdid\s+not\s+(?:ask|assess|screen|address)\b|\bnot\s+addressed\b|\bto\s+be\s+assessed\b|\bnext\s+session\b",
    re.IGNORECASE,
)
_ANSWERED = re.compile(
    r"\?\W*(?:no|nope|never|none|not\s+really|yes|yeah|sometimes)\b|\bden(?:y|ies|ied|ying)\b|\bendors\w*\b|\breports?\b|\breported\b|\bno\s+(?:current\s+|active\s+|passive\s+)?(?:SI|HI|suicid|homicid|self|thoughts|intent|plan)|"
    r"\bnone\b|\bnegative\b|\bpositive\b|\blow\b|\bmoderate\b|\bhigh\b|\bpassive\b|\bactive\b|\bwithout\s+(?:plan|intent)\b|"
    r"\bintent\b|\bplan\b|\bcontracts?\b|\b(?:reviewed|updated|completed|created|revised)\b|\backnowledg\w*\b|\bstates?\b|\bstated\b|"
    r"\badmits?\b|\bvoiced\b|\bscreen\w*\s+(?:negative|positive)\b|\bno\s+(?:history|attempts?)\b|\bscore\b|\bconfirmed\b",
    re.IGNORECASE,
)


_SAFETY_PLAN = re.compile(r"\bsafety\s+plan\w*", re.IGNORECASE)


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[;,]\s+|\.\s+|\s+but\s+|\s+and\s+(?=(?:denies|reports|endorses|SI|HI|safety)\b)", text) if c.strip()]


def detect_risk(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """A documented risk screen with its answer; "not assessed" is not an assessment."""
    answered: dict[str, list] = {"si": [], "hi": [], "other": []}
    skipped: dict[str, list] = {"si": [], "hi": [], "other": []}
    for seg in doc.segments:
        if seg.section != "risk" and not (_SI.search(seg.text) or _HI.search(seg.text) or _RISK_ANY.search(seg.text)):
            continue  # no clause of it can be about risk (each clause test below needs one of these)
        if is_goal_statement(seg):
            continue
        for clause in _clauses(seg.text):
            domains = [d for d, p in (("si", _SI), ("hi", _HI)) if p.search(clause)]
            if not domains:
                if not (_RISK_ANY.search(clause) or seg.section == "risk"):
                    continue
                domains = ["other"]
            # a safety plan answers no SI/HI screen ("agreed to the safety plan" is not "denies SI, no plan")
            probe = clause if domains == ["other"] else _SAFETY_PLAN.sub(" ", clause)
            target = skipped if _NOT_DONE.search(clause) else answered if _ANSWERED.search(probe) else None
            if target is None:
                continue
            for d in domains:
                target[d].append(seg)
    screens = answered["si"] + answered["hi"]
    plan_only = answered["other"]
    skipped_core = skipped["si"] + skipped["hi"]
    if screens and not (skipped["si"] and not answered["si"]) and not (skipped["hi"] and not answered["hi"]):
        return Finding("met", unique(screens + plan_only)[:3], "risk screened and answered")
    if screens:
        return Finding("partial", unique(screens + skipped_core)[:3], "one risk domain answered, another not assessed")
    if plan_only and not skipped_core and not skipped["other"]:
        return Finding("partial", unique(plan_only)[:2], "risk or safety mentioned without a documented SI/HI screen")
    return Finding.missing("no risk screen documented" + (" (marked not assessed)" if skipped_core or skipped["other"] else ""))


_CONTINUE = rx(
    r"continu\w*", r"ongoing", r"further", r"additional", r"remain\w*", r"still", r"warrant\w*", r"level\s+of\s+care",
    r"medically\s+necessary", r"medical\s+necessity", r"necessary", r"needed", r"recommend\w*", r"appropriate",
    r"requires?", r"benefit\w*", r"weekly", r"biweekly",
)
_REASON = re.compile(
    r"\bbecause\b|\bdue\s+to\b|\bgiven\b|\bas\s+(?:she|he|they|client|the\s+client|symptoms|[A-Z])|\bto\s+(?:prevent|reduce|consolidate|maintain|address|achieve|reach|sustain|avoid|continue|build|target|improve|stabilize|support)\b|"
    r"\bexpected\s+to\b|\bwill\s+(?:likely\s+)?(?:benefit|help|improve|reduce)|\brisk\s+of\b|\bprevent\w*\b|\bdeteriorat\w*|\brelapse\b|\bdecompensat\w*|"
    r"\bremains?\s+(?:symptomatic|impaired|at\s+risk|elevated|above|below|unable)|\bstill\s+(?:\w+\s+){0,3}(?:impair|symptom|elevated|unable|meets|struggl|has|missing)\w*|\bnot\s+yet\b|"
    r"\bongoing\s+(?:symptoms|impairment|risk)|\bmoderate|\bsevere|\bresponding\s+to\b|\bprogress\w*\b|\bgains\b|\bimprov\w*",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(r"\bas\s+(?:clinically\s+indicated|medically\s+necessary|needed)\b|\bmedically\s+necessary\.?$", re.IGNORECASE)


_NEED = re.compile(r"\b(?:needed|necessary|warranted|indicated|recommended|appropriate|required|justified|need|requires|remains\s+(?:appropriate|indicated))\b", re.IGNORECASE)
_CLINICAL_WHY = re.compile(
    r"\bpersist\w*|\bremain\w*|\bstill\b|\brisk\b|\bprevent\w*|\bimprov\w*|\brespond\w*|\bprogress\w*|\bgains?\b|"
    r"\bto\s+(?:complete|build|reduce|address|support|consolidate|maintain|achieve|reach|sustain|continue|target|stabilize|decrease|increase)\b|"
    r"\bsymptom\w*|\bimpair\w*|\bworking\b|\bexpected\b|\blikely\b|\bwhile\b|\bbecause\b|\bdue\s+to\b|\bgiven\b|\bmoderate\b|\bsevere\b|\belevated\b",
    re.IGNORECASE,
)
_MEDICATION = re.compile(r"\bcontinu\w*\s+(?:\w+\s+){1,2}\d+(?:\.\d+)?\s*(?:mg|mcg)\b", re.IGNORECASE)
_BECAUSE = re.compile(r"\b(?:because|due\s+to|given|since)\b|:\s", re.IGNORECASE)
_CARE = re.compile(r"\b(?:continu\w+|ongoing|further|follow[- ]?up|level\s+of\s+care|outpatient|weekly|biweekly|treatment|therapy|sessions?|care|services?|group|psychotherapy)\b", re.IGNORECASE)


def detect_rationale(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """Why continued care at this level is needed, with an expected benefit; boilerplate is partial."""
    met, boiler = [], []
    for seg in doc.segments:
        if not (_CONTINUE.search(seg.text) and _CARE.search(seg.text)) or owned_elsewhere(seg, "continued_care_rationale"):
            continue
        if _MEDICATION.search(seg.text) or (all(negated(seg.text, m.start(), 20) for m in _NEED.finditer(seg.text)) and _NEED.search(seg.text)):
            continue
        rest = _BOILERPLATE.sub("", seg.text)
        if _BOILERPLATE.search(seg.text) and not _CLINICAL_WHY.search(rest):
            boiler.append(seg)
        elif (_NEED.search(seg.text) or _BECAUSE.search(seg.text)) and (_CLINICAL_WHY.search(rest) or _REASON.search(rest)):
            met.append(seg)
    if met:
        return Finding("met", met[:2], "continued-care rationale documented")
    if boiler:
        return Finding("partial", boiler[:1], "boilerplate only; say why this level of care is still needed")
    return Finding.missing("no rationale for continued care")
