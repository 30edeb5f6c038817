"""Detectors for the clinical elements: diagnosis, symptoms, impairment, goals, interventions.

Each detector reads the segmented note and returns a :class:`Finding`; "met" always comes
with the segments that meet it. Negations are read in the clause they sit in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.copilot.findings import Finding, negated, positive_matches, rx, unique
from assistant.copilot.segments import NoteDoc, Segment
from assistant.copilot.techniques import TECHNIQUE as TECHNIQUE
from assistant.copilot.techniques import is_intervention_statement

F_CODE = re.compile(r"(?<![\w.])F\d{2}(?:\.[0-9A-Z]{1,4})?(?![\w])")
_DX_LABEL = rx(r"diagnos[ie]s", r"dx", r"impression", r"working\s+diagnosis")
DISORDER = rx(
    r"(?:\w+[- ]){0,4}disorder", r"PTSD", r"ADHD", r"OCD", r"MDD", r"GAD", r"depression", r"anxiety",
    r"schizophreni\w*", r"bipolar", r"anorexia", r"bulimia", r"insomnia", r"dysthymia",
)
SYMPTOM = rx(
    r"anxi\w*", r"worr\w*", r"panic\w*", r"depress\w*", r"(?:low|depressed|irritable|anxious|sad)\s+mood",
    r"mood\s+swings?", r"sad\w*", r"hopeless\w*", r"helpless\w*", r"worthless\w*", r"guilt\w*", r"irritab\w*",
    r"anger", r"angry", r"outbursts?", r"tantrums?", r"rage", r"insomnia", r"sleep(?!overs?)\w*", r"nightmares?",
    r"flashbacks?", r"intrusive\s+\w+", r"intrusions?", r"avoid\w*", r"hypervigilan\w*", r"startle\w*",
    r"cry\w*", r"tearful\w*", r"fatigue\w*", r"tired\w*", r"energy", r"appetite", r"concentrat\w*",
    r"crav\w*", r"drink\w*", r"drinks", r"alcohol", r"cannabis", r"relapse\w*", r"mut\w+", r"not\s+spoken", r"obsess\w*",
    r"compuls\w*", r"checking", r"rituals?", r"racing\s+thoughts", r"ruminat\w*", r"dissociat\w*",
    r"numb(?:ness|ed|ing)?", r"binge\w*", r"purg\w*", r"restrict\w*", r"hallucinat\w*", r"paranoi\w*", r"anhedoni\w*",
    r"withdrawn", r"isolat\w*", r"urges?", r"self[- ]harm\w*", r"cutting", r"symptoms?", r"grief",
    r"restless\w*", r"hyperactiv\w*", r"impulsiv\w*", r"inattent\w*", r"distract\w*", r"mania", r"manic",
    r"pressured\s+speech", r"agitat\w*", r"fear\w*", r"dread", r"nervous\w*", r"tension", r"headaches?",
    r"stomach\w*", r"nausea", r"palpitations", r"blush\w*", r"racing\s+heart", r"shak\w*", r"sweating", r"low\s+self-esteem", r"loneli\w*",
)
QUANT = re.compile(
    r"\d|\b(?:once|twice|daily|nightly|weekly|hourly|every|most\s+(?:days|nights|of\s+the\s+day)|"
    r"(?:several|multiple|many|few)\s+times|all\s+day|constant\w*|frequent\w*|persistent\w*|"
    r"severe\w*|moderate\w*|mild\w*|intens\w*|extreme\w*|significant\w*|worse\w*|worsen\w*|"
    r"fewer|almost|nearly|per\s+(?:day|week|night|month)|a\s+(?:day|week|night)|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:times|days|nights|hours|weeks|months|years)|"
    r"hours?\s+(?:a|per|each)|for\s+(?:the\s+past\s+)?(?:a|several|many)\s+(?:weeks|months|years)|since|throughout|scores?|rated|out\s+of)\b|[≤≥<>/%]",
    re.IGNORECASE,
)
MEASURE = re.compile(
    r"\b(?:PHQ-?9|PHQ-?A|GAD-?7|PCL-?5|AUDIT(?:-C)?|DAST(?:-10)?|BDI(?:-II)?|BAI|C-SSRS|CSSRS|Y-?BOCS|"
    r"EPDS|ORS|SRS|SDQ|SPIN|EDE-?Q|Vanderbilt|SCARED|CES-?D|MDQ|ASRS|DES|EAT-26|K10|ISI|OCI-R|PSS|SUDS?|CAPS-5|GDS(?:-15)?|PDSS|SMQ|"
    r"HAM-?[AD]|MADRS)\s*(?:total\s+|score\s+|today\s+|was\s+|is\s+|of\s+|at\s+|[:=]\s*)*"
    r"(?:(?:down|up)\s+(?:from\s+\d{1,3}\s+)?to\s+)?\d{1,3}(?![\d-])(?!\s*(?:min|weeks?|months?|days?))",
    re.IGNORECASE,
)
_GROUP_TALK = rx(r"(?:other\s+|group\s+)?members", r"the\s+group", r"peers", r"participants", r"group\s+discuss\w*")
_SELF = rx(r"client", r"patient", r"member", r"enrollee", r"beneficiary", r"he", r"she", r"his", r"her", r"IP",
           r"identified\s+patient", r"youth", r"child", r"teen", r"adolescent", r"consumer", r"individual")


_GOAL_LINE = re.compile(
    r"^\W*(?:(?!progress|toward|met\b|achiev|review)[\w-]+\s+){0,3}(?:goals?|objectives?)\s*\d*\s*[:(]|^\W*(?:the\s+)?goal\s+(?:is|of)\b",
    re.IGNORECASE,
)
_RATIONALE_LINE = re.compile(
    r"\bcontinu\w+\b[^.]{0,80}\b(?:needed|necessary|warranted|recommended|indicated)\b|\blevel\s+of\s+care\b|"
    r"\b(?:therapy|treatment|care|sessions?|psychotherapy)\b[^.;:]{0,40}\b(?:is|are|remains?)\s+(?:medically\s+)?"
    r"(?:necessary|needed|indicated|warranted|recommended)\b",
    re.IGNORECASE,
)
_RISK_LINE = re.compile(r"\bSI\b|\bHI\b|suicid\w*|homicid\w*", re.IGNORECASE)
_MSE_LINE = re.compile(r"^\W*(?:MSE|mental\s+status)\b|\boriented\s*(?:x|×)\s*\d", re.IGNORECASE)
_EXTENDED_LINE = re.compile(r"\b(?:session|visit)\b[^.;]{0,20}\b(?:extended|ran\s+(?:past|over|beyond|long)|(?:needed|had)\s+to\s+run)\b", re.IGNORECASE)
_HEADER_LINE = re.compile(r"\b(?:NOTE|PROGRESS NOTE|SOAP|DAP|BIRP|GIRP)\b")


def is_goal_statement(seg: Segment) -> bool:
    """A treatment-plan goal line (a target, not a current finding)."""
    return seg.section == "goal" or bool(_GOAL_LINE.search(seg.text))


def is_rationale_statement(seg: Segment) -> bool:
    """A continued-care statement ("Continued weekly sessions are needed because …")."""
    return bool(_RATIONALE_LINE.search(seg.text))


def is_header(seg: Segment) -> bool:
    """A title line such as "BIRP PROGRESS NOTE — Individual psychotherapy"."""
    return (seg.line == 0 and bool(_HEADER_LINE.search(seg.text))) or (seg.text.isupper() and len(seg.text) > 3)


_SIGNATURE_LINE = re.compile(r"\[PROVIDER_\d+\]|\b(?:electronically\s+)?signed\s*(?:by\b|:|\[|on\b)", re.IGNORECASE)
_GROUP_COUNT = re.compile(r"\b\d+\s+(?:\w+\s+)?(?:members|participants|attendees)\b", re.IGNORECASE)


def owned_elsewhere(seg: Segment, element: str) -> bool:
    """Sentences that document another element and do not count as this one's evidence.

    Goal statements, continued-care rationales, risk screens, mental-status lines and
    note titles each meet their own element; a summary there ("symptoms still impair work")
    is not the concrete documentation the element itself asks for.
    """
    return _owned_elsewhere(Segment(0, 0, seg.text, seg.section, min(seg.line, 1)), element)


@lru_cache(maxsize=65536)
def _owned_elsewhere(seg: Segment, element: str) -> bool:
    if is_header(seg):
        return element != "modality_participants"
    if element != "provider_signature" and _SIGNATURE_LINE.search(seg.text):
        return True
    if element in ("symptoms_severity", "functional_impairment", "response_progress") and _GROUP_COUNT.search(seg.text):
        return True
    if element in ("continued_care_rationale", "response_progress", "interventions") and _EXTENDED_LINE.search(seg.text):
        return element != "interventions"
    if element != "continued_care_rationale" and is_rationale_statement(seg):
        return True
    if element not in ("treatment_plan_goals", "response_progress") and is_goal_statement(seg):
        return True
    if element in ("symptoms_severity", "functional_impairment") and _RISK_LINE.search(seg.text):
        return not MEASURE.search(seg.text) or element != "symptoms_severity"
    return element in ("symptoms_severity", "functional_impairment") and bool(_MSE_LINE.search(seg.text))


def about_member(seg: Segment) -> bool:
    """False for group-level content ("members discussed …") that says nothing of this client."""
    return _about_member(seg.text)


@lru_cache(maxsize=65536)
def _about_member(text: str) -> bool:
    if "[PATIENT" in text:
        return True
    return not (_GROUP_TALK.search(text) and not _SELF.search(_GROUP_TALK.sub(" ", text)))


def detect_symptoms(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """Symptoms with frequency / severity / a score → met; symptoms alone → partial.

    The finding is kept in ``doc.memo`` (it reads no options): the diagnosis check needs it too.
    """
    found = doc.memo.get("symptoms")
    if isinstance(found, Finding):
        return found
    met: list[Segment] = []
    partial: list[Segment] = []
    for seg in doc.segments:
        if not about_member(seg) or owned_elsewhere(seg, "symptoms_severity") or seg.section == "plan" or is_intervention_statement(seg):
            continue
        if F_CODE.search(seg.text) and not re.search(r"\d", _INSTRUMENT.sub(" ", DISORDER.sub(" ", F_CODE.sub(" ", seg.text)))):
            continue  # a diagnosis line names the disorder, not the current symptoms
        if re.search(r"\baffect\b", seg.text, re.IGNORECASE) and not re.search(r"\d", seg.text):
            continue  # an observed affect is mental status, not reported symptoms
        if symptom_measure(seg.text):
            met.append(seg)
            continue
        hits = [h for h in positive_matches(SYMPTOM, seg.text) if not _OTHER_PERSON.search(seg.text[max(0, h.start() - 40):h.start()])]
        if not hits:
            continue
        (met if any(_quantified(seg.text, h) for h in hits) else partial).append(seg)
    if met:
        result = Finding("met", unique(met)[:4], "symptoms with frequency, severity or a score")
    elif partial:
        result = Finding("partial", unique(partial)[:3], "symptoms named without frequency, severity or a score")
    else:
        result = Finding.missing("no current symptoms documented")
    doc.memo["symptoms"] = result
    return result


_INSTRUMENT = re.compile(r"\b[A-Z]{2,}(?:-[A-Z]+)?-\d+\b")  # "PHQ-9", "PCL-5": an instrument's name, not a score
# someone else's feelings ("father became angry") are not the client's symptoms
_OTHER_PERSON = re.compile(
    r"\b(?:father|mother|dad|mom|parents?|grand\w+|caregivers?|guardian|partner|spouse|husband|wife|siblings?|brother|sister|"
    r"teachers?|\[(?:PARENT|GUARDIAN|PERSON)_\d+\])(?:,?\s+who)?\s+(?:\w+\s+){0,2}(?:became|was|is|got|felt|feels|appeared|seemed|grew|been)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_CAUSE = re.compile(r"\b(?:due\s+to|because(?:\s+of)?|for\s+fear\s+of|about|focused\s+on|for)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _quantified(text: str, hit: re.Match[str]) -> bool:
    """A frequency, severity or score in the symptom's own clause (not one that counts something else)."""
    if _CAUSE.search(text[max(0, hit.start() - 30):hit.start()]):
        return False  # "missed 2 shifts due to fatigue": the number counts the shifts
    start = max(text.rfind(";", 0, hit.start()) + 1, hit.start() - 50)
    end = text.find(";", hit.end())
    end = min(end if end >= 0 else len(text), hit.end() + 50)
    return bool(QUANT.search(text[start:end]))


def symptom_measure(text: str) -> bool:
    """A standardized symptom measure with its score; in-session SUDS ratings and a negated zero screen do not count."""
    for m in MEASURE.finditer(text):
        if m.group(0).upper().startswith("SUD"):
            continue
        score = re.findall(r"\d+", m.group(0))
        if score and int(score[-1]) == 0 and negated(text, m.start()):
            continue
        return True
    return False


def detect_diagnosis(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """An ICD-10-CM F-code with symptoms in the note → met; a name only, or a bare code → partial."""
    coded = [seg for seg in doc.segments if F_CODE.search(seg.text)]
    found = doc.memo.get("symptoms")
    if not isinstance(found, Finding):
        found = doc.memo["symptoms"] = detect_symptoms(doc, options)
    symptoms = found.status != "missing"
    if coded and symptoms:
        return Finding("met", coded[:3], "coded diagnosis supported by documented symptoms")
    if coded:
        return Finding("partial", coded[:3], "diagnosis code without supporting symptoms in this note")
    named = [
        seg for seg in doc.segments
        if DISORDER.search(seg.text) and (_DX_LABEL.search(seg.text) or seg.section in ("diagnosis", "assessment"))
        and not negated(seg.text, DISORDER.search(seg.text).start())  # type: ignore[union-attr]
    ]
    if named:
        return Finding("partial", named[:2], "diagnosis named without its ICD-10-CM code")
    return Finding.missing("no diagnosis documented")


IMPAIR_DOMAIN = rx(
    r"work\w*", r"job", r"shifts?", r"boss", r"employ\w*", r"cowork\w*", r"career", r"school", r"class\w*",
    r"grades?", r"homework", r"college", r"teachers?", r"exams?", r"stud\w*", r"relationships?", r"marriage",
    r"partner", r"spouse", r"husband", r"wife", r"friends?\w*", r"family", r"parent\w*", r"children", r"kids?",
    r"son", r"daughter", r"social\w*", r"self-care", r"hygiene", r"shower\w*", r"bath\w*", r"groom\w*",
    r"eat\w*", r"meals?", r"chores", r"house\w*", r"errands", r"bills", r"driv\w*", r"leav\w+\s+(?:the\s+)?(?:house|home)",
    r"church", r"activities", r"hobbies", r"sports?", r"practice", r"team", r"attendance", r"daily\s+functioning",
    r"functioning", r"home", r"bed", r"out\s+of\s+bed", r"store", r"grocer\w*", r"sleep\w*\s+through",
    r"seminar", r"courses?", r"duty", r"duties", r"unit", r"e-?mails?", r"advisor", r"deadlines?", r"caregiving",
    r"supervisor", r"manager", r"promotion", r"performance", r"desk", r"meetings?", r"presentation", r"bus", r"public", r"outside", r"dates?", r"dating", r"colleagues?", r"customers?", r"clients",
)
IMPAIR_CUE = rx(
    r"miss\w*", r"absen\w*", r"late", r"tardy", r"unable", r"can't", r"cannot", r"couldn't", r"could\s+not",
    r"stopp\w*", r"avoid\w*", r"difficult\w*", r"trouble", r"struggl\w*", r"impair\w*", r"declin\w*",
    r"dropp\w*", r"fail\w*", r"fell\s+behind", r"falling\s+behind", r"behind", r"conflicts?", r"argu\w*",
    r"fights?", r"fighting", r"withdr\w*", r"isolat\w*", r"neglect\w*", r"warn\w*", r"written\s+up",
    r"fired", r"quit", r"suspen\w*", r"detention", r"call\w*\s+(?:out|in\s+sick)", r"left\s+early",
    r"leave\s+of\s+absence", r"FMLA", r"strain\w*", r"skipp\w*", r"refus\w*", r"los[ti]", r"lose",
    r"jeopardy", r"probation", r"reduced\s+hours", r"disciplin\w*", r"complain\w*", r"interfer\w*",
    r"affect(?:s|ed|ing)", r"limit\w*", r"withdrew", r"modified\s+duty", r"has\s+not\s+returned",
    r"left\s+(?:her|his|their|the)?\s*(?:shift|work|job|class|school)", r"calling\s+out", r"prevent\w*", r"only\s+(?:left|leaves)", r"barely", r"hasn't", r"has\s+not", r"haven't", r"have\s+not",
    r"not\s+(?:showering|eating|working|attending|going|leaving|sleeping)", r"poor", r"decreased",
    r"reduced", r"dropped", r"no\s+longer", r"stopped", r"can\s+no\s+longer", r"cancel\w*", r"incident\w*",
    r"yell\w*", r"tension", r"breakup", r"separat\w*", r"eviction", r"unemploy\w*", r"less\s+able",
    r"g[ai]ven?\s+up", r"rarely",
)
_NO_IMPAIRMENT = re.compile(
    r"\b(?:den(?:y|ies|ied)|no|without)\b[^.;]{0,30}\b(?:problems?|difficult\w*|impairment|issues|concerns|changes)\b"
    r"|\bfunctioning\s+(?:well|adequately|normally)\b|\bno\s+functional\b",
    re.IGNORECASE,
)


def detect_functional(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """A concrete impact on work, school, relationships or self-care; a denial does not count."""
    hits = []
    for seg in doc.segments:
        if not IMPAIR_DOMAIN.search(seg.text):
            continue  # the cheapest test first: most sentences name no life domain
        if not about_member(seg) or _NO_IMPAIRMENT.search(seg.text) or owned_elsewhere(seg, "functional_impairment") or is_intervention_statement(seg):
            continue
        cues = [m for m in IMPAIR_CUE.finditer(seg.text) if not negated(seg.text, m.start(), 20) or m.group(0).lower().startswith(("not", "no ", "can", "has", "hasn", "have"))]
        if cues:
            hits.append(seg)
    if hits:
        return Finding("met", hits[:3], "impact on daily functioning documented")
    return Finding.missing("no functional impairment documented (an absence of problems does not support necessity)")


_GOAL = rx(r"goals?(?!-)", r"objectives?", r"targets?(?=\s*(?::|is\b|of\b))", r"treatment\s+plan", r"working\s+toward", r"plan\s+goal")
# "progress toward goal 2" refers to a goal without stating it; "toward the goal of riding the bus" states one
_GOAL_REFERENCE = re.compile(
    r"\b(?:toward|towards|met|reached|achieved)\s+(?:(?:the|her|his|their|this|treatment|plan|individual|weight|first|second)\s+)*"
    r"goals?(?:\s*\d+)?\b(?!\s*(?:of|to|is|:))",
    re.IGNORECASE,
)
_GOAL_CONTENT = rx(
    r"reduc\w*", r"decreas\w*", r"increas\w*", r"improv\w*", r"return\w*", r"maintain\w*", r"achiev\w*",
    r"complet\w*", r"attend\w*", r"use", r"using", r"identify\w*", r"practic\w*", r"abstain\w*", r"abstinence",
    r"eliminat\w*", r"stop\w*", r"fewer", r"less", r"below", r"under", r"at\s+least", r"within", r"no\s+more",
    r"resume\w*", r"manage\w*", r"tolerat\w*", r"engag\w*", r"build\w*", r"establish\w*", r"develop\w*",
    r"sleep\w*", r"zero", r"no\s+\w+", r"\d+", r"by\s+\[DATE_\d+\]", r"weekly", r"alone", r"per\s+week", r"daily", r"independent\w*", r"learn\w*", r"express\w*",
    r"cope", r"coping", r"regulat\w*", r"sober\w*", r"remission",
)
_GOAL_VAGUE = re.compile(r"\bgoals?\b[^.;]{0,40}\b(?:reviewed|discussed|addressed|remain|unchanged|ongoing|updated)\b|"
                         r"\b(?:reviewed|discussed|addressed)\b[^.;]{0,30}\bgoals?\b", re.IGNORECASE)


def detect_goals(doc: NoteDoc, options: dict[str, Any]) -> Finding:
    """A specific treatment-plan goal stated in the note; "goals reviewed" alone is partial."""
    met, vague = [], []
    for seg in doc.segments:
        in_goal = seg.section == "goal"
        text = _GOAL_REFERENCE.sub(" ", seg.text)
        if not (in_goal or _GOAL.search(text)):
            continue
        words = len(seg.text.split())
        if _GOAL_CONTENT.search(text) and words >= 4 and not (_GOAL_VAGUE.search(text) and words < 9):
            met.append(seg)
        elif _GOAL.search(text) or in_goal:
            vague.append(seg)
    if met:
        return Finding("met", met[:3], "specific treatment-plan goal stated")
    if vague:
        return Finding("partial", vague[:2], "goals mentioned but none stated")
    return Finding.missing("no treatment-plan goal stated")
