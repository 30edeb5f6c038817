"""Offline fact extraction: session facts with the transcript lines they come from.

Speaker-aware patterns over de-identified utterances. Every fact's ``value`` is built from
the words of its own lines (a clause, a measure and its score, a technique's name), so the
offline engine cannot state what was not said. Risk is recorded only when it was talked
about: a therapist's question with the client's answer, or the client raising it; a
question nobody asked is a gap for the co-pilot, never a "denies".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import BaseModel

from assistant.copilot.detect_clinical import IMPAIR_CUE, IMPAIR_DOMAIN, MEASURE, SYMPTOM, TECHNIQUE
from assistant.copilot.findings import negated, positive_matches
from assistant.scribe.intake import Transcript, Utterance

FactKind = Literal[
    "symptom", "score", "functional_impact", "mood", "risk", "intervention", "response", "progress",
    "medication", "homework", "plan", "next_appointment", "participants",
]


class Fact(BaseModel):
    """One session fact and the lines that state it."""

    kind: FactKind
    value: str
    lines: list[int]


# words the extractor itself writes into fact values (never facts about the client)
OWN_WORDS = (
    "asked about suicidal or self-harm thoughts; client denied", "asked about thoughts of harming others; client denied",
    "client said", "client raised", "safety planning", "reflective listening", "psychoeducation", "therapist", "therapists",
    "client", "clients", "other participant", "other participants",
)
_CLAUSE = re.compile(r"[^.!?;]+[.!?;]?")
_SI_Q = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)?\s+yourself|end(?:ing)?\s+your\s+life|hurt(?:ing)?\s+yourself|harm(?:ing)?\s+yourself|"
    r"self[- ]harm\w*|cutting|better\s+off\s+dead|not\s+(?:being\s+)?(?:here|alive|wak\w+\s+up)|thoughts\s+of\s+(?:death|dying))\b",
    re.IGNORECASE,
)
_HI_Q = re.compile(r"\b(?:hurt(?:ing)?\s+(?:anyone|someone|somebody|others)|harm(?:ing)?\s+(?:anyone|others)|homicid\w*|kill(?:ing)?\s+(?:anyone|someone))\b", re.IGNORECASE)
_NO = re.compile(r"^\W*(?:no\b|nope\b|never\b|not\s+(?:at\s+all|really|now|anymore)|nah\b|none\b|i\s+(?:don't|do\s+not|haven't|have\s+not|wouldn't|would\s+never)\b|absolutely\s+not)", re.IGNORECASE)
_YES = re.compile(r"^\W*(?:yes|yeah|yep|sometimes|a\s+little|kind\s+of|sort\s+of|i\s+(?:have|do|did|guess|think)\b)", re.IGNORECASE)
_SAFETY = re.compile(r"\bsafety\s+plan\w*|\bcrisis\s+line\b|\b988\b|\bcall\s+(?:911|the\s+crisis)", re.IGNORECASE)
_MOOD = re.compile(
    r"\bI(?:'m|\s+am|'ve\s+been|\s+have\s+been|\s+feel|\s+felt|\s+was|\s+been)\s+(?:feeling\s+|so\s+|really\s+|pretty\s+|kind\s+of\s+|a\s+(?:bit|little)\s+|very\s+)*"
    r"(?P<mood>sad|down|depressed|anxious|angry|hopeless|happy|okay|ok|fine|good|great|better|worse|stressed|overwhelmed|numb|irritable|"
    r"frustrated|scared|afraid|lonely|guilty|ashamed|exhausted|tired|nervous|calm|relieved|hopeful|empty|miserable|awful|terrible|on\s+edge)\b",
    re.IGNORECASE,
)
MEDICATION = re.compile(
    r"\b(?:sertraline|zoloft|fluoxetine|prozac|escitalopram|lexapro|citalopram|celexa|paroxetine|paxil|venlafaxine|effexor|"
    r"duloxetine|cymbalta|desvenlafaxine|pristiq|bupropion|wellbutrin|mirtazapine|remeron|trazodone|vortioxetine|trintellix|"
    r"buspirone|buspar|hydroxyzine|lorazepam|ativan|clonazepam|klonopin|alprazolam|xanax|diazepam|valium|quetiapine|seroquel|"
    r"aripiprazole|abilify|risperidone|risperdal|olanzapine|zyprexa|lurasidone|latuda|lithium|lamotrigine|lamictal|"
    r"valproate|depakote|methylphenidate|ritalin|concerta|adderall|amphetamine|vyvanse|lisdexamfetamine|atomoxetine|strattera|"
    r"guanfacine|clonidine|prazosin|naltrexone|vivitrol|acamprosate|disulfiram|buprenorphine|suboxone|methadone|gabapentin|"
    r"propranolol|zolpidem|ambien|melatonin|ketamine|esketamine|spravato|medication|meds|pills?|antidepressant)\b",
    re.IGNORECASE,
)
_MED_CONTEXT = re.compile(
    r"\b(?:\d+\s*mg|dose|dosage|increas\w*|decreas\w*|start\w*|stopp?\w*|switch\w*|taper\w*|missed|skipp\w*|forgot|taking|take|"
    r"side[- ]effects?|nause\w*|drows\w*|dizz\w*|weight|sleepy|jittery|prescrib\w*|refill\w*|adheren\w*|every\s+(?:day|morning|night))\b",
    re.IGNORECASE,
)
_HOMEWORK = re.compile(
    r"\b(?:homework|assignment|worksheet|log|diary|journal|between\s+now\s+and|this\s+(?:coming\s+)?week,?\s+(?:I'd\s+like\s+you\s+to|try|practice|keep|fill|write|notice|track|do)|"
    r"(?:try|practice|keep|fill\s+out|write\s+down|track)\s+(?:\w+\s+){0,4}(?:every\s+day|each\s+day|daily|this\s+week|before\s+(?:our\s+)?next))\b",
    re.IGNORECASE,
)
_NEXT = re.compile(
    r"\b(?:next\s+(?:week|session|time|appointment|tuesday|monday|wednesday|thursday|friday)|see\s+you\s+(?:on|next|in|then|at)|same\s+time|"
    r"in\s+(?:two|three|2|3|four|4)\s+weeks|\[DATE_\d+\]|schedule[d]?\s+(?:for|our\s+next)|our\s+next\s+(?:session|appointment|meeting)|"
    r"(?:meet|come\s+back|check\s+in)\s+(?:again\s+)?(?:tomorrow|next|in\s+\w+\s+(?:days?|weeks?)))\b",
    re.IGNORECASE,
)
_PLAN = re.compile(
    r"\b(?:the\s+plan\s+is|our\s+plan|plan\s+(?:is|for)|we'll\s+(?:keep|continue|start|work|focus|move|add|try)|we\s+will\s+(?:keep|continue|start|work|focus)|"
    r"next\s+time\s+we'll|going\s+forward|i'd\s+like\s+(?:us|to\s+refer)|refer(?:ral)?\s+(?:you|to)|keep\s+working\s+on|continue\s+(?:weekly|meeting|with))\b",
    re.IGNORECASE,
)
_PROGRESS = re.compile(
    r"\b(?:down|up)\s+from\b|\bfrom\s+(?:\d+|a\s+\w+|about\s+\d+)\s+(?:to|down\s+to)\s+\d+|\b(?:better|worse|easier|harder)\s+than\s+(?:last|before|it\s+was)|"
    r"\bhaven't\s+had\s+(?:a|any|one)\b|\b(?:fewer|less\s+often|not\s+as\s+(?:often|bad|much))\b|\b(?:improv\w+|progress)\b|"
    r"\bfor\s+the\s+first\s+time\b|\bmanaged\s+to\b|\bwas\s+able\s+to\b|\b(?:went|gone|dropped|came)\s+(?:down|up)\b|\bno\s+longer\b",
    re.IGNORECASE,
)
_ENGAGED = re.compile(
    r"\b(?:that\s+makes\s+sense|i\s+(?:can|could|will|'ll)\s+try|i'll\s+(?:do|practice|give)|that\s+help(?:s|ed)|i\s+never\s+thought|"
    r"i\s+(?:see|get\s+it|like\s+that)|that's\s+(?:true|right|helpful)|i\s+feel\s+(?:calmer|better|lighter)|okay,?\s+i'll|i\s+did\s+it|"
    r"i\s+don't\s+(?:think\s+that|want\s+to)|i\s+can't\s+do\s+that|that\s+won't\s+work|it\s+went\s+(?:down|up))\b",
    re.IGNORECASE,
)
_REFLECTION = re.compile(r"^\W*(?:so\s+(?:you|it\s+sounds)|it\s+sounds\s+like|sounds\s+like|you(?:'re|\s+are)\s+(?:feeling|saying|worried|telling)|you\s+feel|what\s+i'm\s+hearing|on\s+one\s+hand)", re.IGNORECASE)
_PSYCHOED = re.compile(r"\b(?:research\s+shows|what\s+happens\s+(?:in|when|is)|your\s+body'?s?\s+(?:alarm|fight)|the\s+way\s+(?:anxiety|panic|depression|trauma)\s+works|it's\s+common\s+(?:for|to)|cycle\s+of)\b", re.IGNORECASE)
_FIRST_PERSON = [
    (re.compile(r"\bI'm\b"), "they're"), (re.compile(r"\bI\s+am\b"), "they are"), (re.compile(r"\bI've\b"), "they've"),
    (re.compile(r"\bI\s+was\b"), "they were"), (re.compile(r"\bI'd\b"), "they'd"), (re.compile(r"\bI'll\b"), "they'll"),
    (re.compile(r"\bI\b"), "they"), (re.compile(r"\bmyself\b", re.IGNORECASE), "themselves"),
    (re.compile(r"\bmy\b", re.IGNORECASE), "their"), (re.compile(r"\bme\b", re.IGNORECASE), "them"),
    (re.compile(r"\bmine\b", re.IGNORECASE), "theirs"),
]


_THERAPIST_VOICE = [
    (re.compile(r"\bI'll\b"), "the therapist will"), (re.compile(r"\bI'd\b"), "the therapist would"),
    (re.compile(r"\bI\b"), "the therapist"), (re.compile(r"\byourself\b", re.IGNORECASE), "themselves"),
    (re.compile(r"\byour\b", re.IGNORECASE), "the client's"), (re.compile(r"\byou're\b", re.IGNORECASE), "the client is"),
    (re.compile(r"\byou\b", re.IGNORECASE), "the client"),
]


def therapist_voice(text: str) -> str:
    """Therapist words as note text ("Your PHQ-9 is 14" → "the client's PHQ-9 is 14")."""
    for pattern, repl in _THERAPIST_VOICE:
        text = pattern.sub(repl, text)
    return text


def voiced(text: str, role: str) -> str:
    """A clause in note voice for the speaker's role."""
    return third_person(text) if role == "client" else therapist_voice(text) if role == "therapist" else text


def third_person(text: str) -> str:
    """Client words in the third person ("I had 3 panic attacks" → "they had 3 panic attacks")."""
    for pattern, repl in _FIRST_PERSON:
        text = pattern.sub(repl, text)
    return text


def clause_with(text: str, position: int, max_words: int = 28) -> str:
    """The clause of ``text`` around ``position``, trimmed to ``max_words``."""
    for m in _CLAUSE.finditer(text):
        if m.start() <= position < max(m.end(), m.start() + 1):
            words = m.group(0).strip().split()
            return " ".join(words[:max_words]).rstrip(",;")
    return " ".join(text.split()[:max_words])


def _by(transcript: Transcript, role: str) -> Iterator[Utterance]:
    return (u for u in transcript.utterances if u.role == role)


def extract_scores(t: Transcript) -> list[Fact]:
    """Standardized measures with a score stated this session."""
    out = []
    for u in t.utterances:
        for m in MEASURE.finditer(u.text):
            if re.search(r"\b(?:next\s+(?:time|week|session)|will\s+do|we'll\s+do)\b", u.text[m.start():m.end() + 30], re.IGNORECASE):
                continue
            out.append(Fact(kind="score", value=therapist_voice(" ".join(m.group(0).split())), lines=[u.line]))
    return out


def extract_symptoms(t: Transcript) -> list[Fact]:
    """Symptoms the client reports (negated mentions are not symptoms)."""
    out = []
    for u in _by(t, "client"):
        hits = positive_matches(SYMPTOM, u.text)
        if hits and not _PROGRESS.search(clause_with(u.text, hits[0].start())):
            out.append(Fact(kind="symptom", value=third_person(clause_with(u.text, hits[0].start())), lines=[u.line]))
    return out


def extract_functional(t: Transcript) -> list[Fact]:
    """Effects on work, school, relationships, self-care, as the client describes them."""
    out = []
    for u in _by(t, "client"):
        domain, cue = IMPAIR_DOMAIN.search(u.text), IMPAIR_CUE.search(u.text)
        if domain and cue and not negated(u.text, cue.start(), 20):
            out.append(Fact(kind="functional_impact", value=third_person(clause_with(u.text, cue.start())), lines=[u.line]))
    return out


def extract_mood(t: Transcript) -> list[Fact]:
    """Mood in the client's own words."""
    return [
        Fact(kind="mood", value=m.group("mood").lower(), lines=[u.line])
        for u in _by(t, "client") for m in [_MOOD.search(u.text)] if m
    ]


def extract_risk(t: Transcript) -> list[Fact]:
    """Risk as talked about: a question and its answer, the client raising it, a safety plan."""
    out = []
    utts = t.utterances
    for i, u in enumerate(utts):
        domain = "suicidal or self-harm thoughts" if _SI_Q.search(u.text) else "thoughts of harming others" if _HI_Q.search(u.text) else None
        if u.role == "therapist" and domain and "?" in u.text:
            answer = next((a for a in utts[i + 1:i + 3] if a.role == "client"), None)
            if answer is None:
                continue
            if _NO.search(answer.text):
                out.append(Fact(kind="risk", value=f"asked about {domain}; client denied", lines=[u.line, answer.line]))
            elif _YES.search(answer.text) or _SI_Q.search(answer.text):
                quote = clause_with(answer.text, 0)
                out.append(Fact(kind="risk", value=f"asked about {domain}; client said: \"{quote}\"", lines=[u.line, answer.line]))
        elif u.role == "client" and _SI_Q.search(u.text) and not (i and domain and utts[i - 1].role == "therapist" and _SI_Q.search(utts[i - 1].text)):
            m = _SI_Q.search(u.text)
            assert m is not None
            out.append(Fact(kind="risk", value=f"client raised: \"{clause_with(u.text, m.start())}\"", lines=[u.line]))
        if _SAFETY.search(u.text):
            m = _SAFETY.search(u.text)
            assert m is not None
            out.append(Fact(kind="risk", value=f"safety planning: {clause_with(u.text, m.start())}", lines=[u.line]))
    return out


def extract_interventions(t: Transcript) -> list[Fact]:
    """Techniques the therapist used (named, reflections, psychoeducation)."""
    out = []
    for u in _by(t, "therapist"):
        named = positive_matches(TECHNIQUE, u.text)
        if named:
            out.append(Fact(kind="intervention", value=" ".join(named[0].group(0).split()), lines=[u.line]))
        elif _REFLECTION.search(u.text) and not u.text.rstrip().endswith("?"):
            out.append(Fact(kind="intervention", value="reflective listening", lines=[u.line]))
        elif _PSYCHOED.search(u.text):
            out.append(Fact(kind="intervention", value="psychoeducation", lines=[u.line]))
    return out


def extract_response(t: Transcript) -> list[Fact]:
    """The client's response right after the therapist's work."""
    out = []
    utts = t.utterances
    for i, u in enumerate(utts):
        if u.role != "client" or not i:
            continue
        m = _ENGAGED.search(u.text)
        if m and utts[i - 1].role == "therapist":
            out.append(Fact(kind="response", value=third_person(clause_with(u.text, m.start())), lines=[utts[i - 1].line, u.line]))
    return out


def _simple(kind: FactKind, pattern: re.Pattern[str], roles: tuple[str, ...]) -> Callable[[Transcript], list[Fact]]:
    def extract(t: Transcript) -> list[Fact]:
        out = []
        for u in t.utterances:
            m = pattern.search(u.text)
            if u.role in roles and m:
                out.append(Fact(kind=kind, value=voiced(clause_with(u.text, m.start()), u.role), lines=[u.line]))
        return out

    extract.__doc__ = f"{kind} facts."
    return extract


def extract_medication(t: Transcript) -> list[Fact]:
    """Medications named with a dose, change, adherence or side effect."""
    out = []
    utts = t.utterances
    for i, u in enumerate(utts):
        m = MEDICATION.search(u.text)
        if m and _MED_CONTEXT.search(u.text):
            out.append(Fact(kind="medication", value=voiced(clause_with(u.text, m.start()), u.role), lines=[u.line]))
            continue
        context = _MED_CONTEXT.search(u.text)
        asked = MEDICATION.search(utts[i - 1].text) if i else None
        if context and asked and u.role == "client" and not m:
            value = f"{asked.group(0)}: {third_person(clause_with(u.text, context.start()))}"
            out.append(Fact(kind="medication", value=value, lines=[utts[i - 1].line, u.line]))
    return out


def extract_participants(t: Transcript) -> list[Fact]:
    """Who took part, by role (names are never used)."""
    first: dict[str, int] = {}
    for u in t.utterances:
        first.setdefault(u.speaker, u.line)
    counts = {r: sum(1 for s in first if next(u.role for u in t.utterances if u.speaker == s) == r) for r in ("therapist", "client", "other")}
    parts = [f"{n} {r}{'s' if n > 1 else ''}" if r != "other" else f"{n} other participant{'s' if n > 1 else ''}"
             for r, n in counts.items() if n]
    return [Fact(kind="participants", value=", ".join(parts), lines=sorted(first.values()))]


EXTRACTORS: tuple[Callable[[Transcript], list[Fact]], ...] = (
    extract_scores, extract_symptoms, extract_functional, extract_mood, extract_risk, extract_interventions,
    extract_response, _simple("progress", _PROGRESS, ("client", "therapist")), extract_medication,
    _simple("homework", _HOMEWORK, ("therapist",)), _simple("plan", _PLAN, ("therapist",)),
    _simple("next_appointment", _NEXT, ("therapist", "client")), extract_participants,
)


def extract_facts(transcript: Transcript) -> list[Fact]:
    """Every fact of the session, in transcript order within each kind, without duplicates."""
    seen: set[tuple[str, str]] = set()
    facts = []
    for extractor in EXTRACTORS:
        for fact in extractor(transcript):
            key = (fact.kind, fact.value.lower())
            if key not in seen:
                seen.add(key)
                facts.append(fact)
    return facts
