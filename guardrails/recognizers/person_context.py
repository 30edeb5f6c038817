"""Names identified by their surroundings: titles, relations, labels, speaker tags."""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers.base import RegexRecognizer

_NAME = r"[A-Za-z][A-Za-z'’-]*[A-Za-z]"
_CAP_NAME = r"[A-Z][A-Za-z'’-]*[A-Za-z]"
RELATIONS = (
    r"sister|brother|sis|bro|mom|mother|mum|mama|dad|father|papa|son|daughter|husband|wife|spouse"
    r"|boyfriend|girlfriend|bf|gf|partner|fianc[eé]e?|friend|bestie|buddy|roommate|boss|manager"
    r"|supervisor|coworker|co-worker|colleague|teacher|coach|cousin|aunt|auntie|uncle|niece|nephew"
    r"|grandma|grandmother|granny|nana|grandpa|grandfather|grandson|granddaughter|stepmom|stepdad"
    r"|stepson|stepdaughter|stepmother|stepfather|ex|ex-wife|ex-husband|neighbor|neighbour|pastor"
    r"|priest|rabbi|imam|sponsor|therapist|psychiatrist|doctor|counselor|caseworker|case manager"
    r"|lawyer|attorney|kid|child|baby|twin|pcp|prescriber|nurse|landlord|principal|tutor|guardian"
    r"|foster mom|foster dad|parole officer|probation officer"
)
_STOP = frozenset(
    ["is", "was", "are", "were", "has", "had", "have", "will", "would", "can", "could", "should", "did", "does", "do", "and", "or", "but", "so", "then", "the", "a", "an", "to", "of", "in", "on", "at", "for", "with", "from", "that", "this", "who", "which", "when", "where", "what", "how", "why", "about", "just", "really", "also", "still", "never", "always", "not", "no", "yes", "again", "too", "very", "more", "most", "much", "many", "some", "says", "said", "told", "asked", "thinks", "thought", "wants", "wanted", "called", "came", "left", "got", "gets", "went", "goes", "i", "me", "my", "you", "he", "she", "him", "her", "it", "we", "they", "them", "his", "hers", "its", "our", "their", "passed", "died", "moved", "lives", "lived", "works", "worked", "being", "been", "get", "go", "come", "came", "say"]
)
_ROLE_LABELS = frozenset(
    ["therapist", "client", "patient", "counselor", "counsellor", "clinician", "provider", "interviewer", "speaker", "mother", "father", "mom", "dad", "parent", "guardian", "note", "notes", "plan", "assessment", "subjective", "objective", "data", "behavior", "behaviour", "intervention", "interventions", "response", "goal", "goals", "dob", "mrn", "date", "time", "session", "diagnosis", "diagnoses", "summary", "history", "reason", "risk", "mse", "mood", "affect", "name", "member"]
)


class TitledNameRecognizer(RegexRecognizer):
    """"Dr. Okafor", "Ms. Miller", "mr jones" (the title is not part of the span)."""

    ENTITY = "PERSON"
    FLAGS = 0
    PATTERNS = [
        ("title", rf"\b(?i:dr|mr|mrs|ms|miss|mx|prof|rev|fr|sr|pastor|officer|coach|judge|nurse|sgt|capt)\b\.?[^\S\n]+(?P<v>{_CAP_NAME}(?:[^\S\n]+{_CAP_NAME}){{0,2}})", 0.85),
        ("title_lower", rf"\b(?:dr|mr|mrs|ms)\.?[^\S\n]+(?P<v>{_NAME})", 0.6),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """The word after a title must not be a function word."""
        return value.split()[0].lower() not in _STOP


class RelationNameRecognizer(RegexRecognizer):
    """"my sister jen", "her boyfriend, Tyler", "a friend named Hope"."""

    ENTITY = "PERSON"
    FLAGS = 0
    PATTERNS = [
        ("relation", rf"\b(?i:my|his|her|their|our|your|the)[^\S\n]+(?:(?i:little|big|older|younger|baby|step|ex|late|best|new|old|twin|oldest|youngest)[- ]?)?(?i:{RELATIONS})s?,?[^\S\n]+(?P<v>{_NAME}(?:[^\S\n]+{_CAP_NAME})?)", 0.75),
        ("named", rf"\b(?i:named|called|name is|name's|names are|goes by|nicknamed|aka|a\.k\.a\.)[^\S\n]+(?P<v>{_NAME}(?:[^\S\n]+{_CAP_NAME})?)", 0.75),
        ("with_and", rf"\b(?i:{RELATIONS})[^\S\n]+(?P<v>{_CAP_NAME})\b", 0.6),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """The captured word must look like a name, not a verb or a pronoun."""
        first = value.split()[0].lower()
        return first not in _STOP and not first.endswith("ing") and first not in _ROLE_LABELS


class LabelledNameRecognizer(RegexRecognizer):
    """Names after form labels: "Client: Jane Doe", "Signed: Maria Lopez, LCSW"."""

    ENTITY = "PERSON"
    FLAGS = re.MULTILINE
    PATTERNS = [
        ("patient_label", rf"(?i:\b(?:client|patient|pt|member|insured|subscriber|beneficiary|enrollee|minor|child)(?:[^\S\n]+(?:full[^\S\n]+)?name)?)[^\S\n]*:[^\S\n]*(?P<v>{_NAME}(?:,?[^\S\n]+{_NAME}){{0,3}})", 0.85),
        ("other_label", rf"(?i:\b(?:name|clinician|provider|therapist|counselor|psychiatrist|prescriber|rendering[^\S\n]+provider|attending|supervisor|signed|signature|guardian|parent|emergency[^\S\n]+contact|contact|mother|father|spouse|responsible[^\S\n]+party|attn|attention|to|from|cc|re))[^\S\n]*:[^\S\n]*(?P<v>{_CAP_NAME}(?:[^\S\n]+(?:[A-Z]\.[^\S\n]+)?{_CAP_NAME}){{0,2}})", 0.7),
        ("signed_by", rf"(?i:\b(?:electronically[^\S\n]+signed[^\S\n]+by|signed[^\S\n]+by|referred[^\S\n]+by|dear|sincerely,?|regards,?))[^\S\n]*:?[^\S\n]*(?P<v>{_CAP_NAME}(?:[^\S\n]+(?:[A-Z]\.[^\S\n]+)?{_CAP_NAME}){{0,2}})", 0.7),
    ]
    def __init__(self, supported_language: str = "en") -> None:
        """Patient-field names are reported as PATIENT, all others as PERSON."""
        super().__init__(supported_language)
        self.supported_entities = ["PERSON", "PATIENT"]

    _CREDENTIALS = re.compile(r"^(?:LCSW|LPC|LMHC|LMFT|LCPC|PhD|PsyD|MD|DO|NP|RN|MSW|MA|MS|LICSW|LMSW|PMHNP|BCBA)$")

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Report the name after a label; patient labels report PATIENT."""
        out: list[RecognizerResult] = []
        for name, regex, score in self._compiled:
            for m in regex.finditer(text):
                start = m.start("v")
                end = start
                for w in re.finditer(r"\S+", m.group("v")):
                    bare = w.group().strip(",")
                    low = bare.lower()
                    if self._CREDENTIALS.match(bare) or low in _STOP or low in _ROLE_LABELS:
                        break
                    end = start + w.start() + len(w.group().rstrip(","))
                if end == start:
                    continue
                start, end = m.start("v"), end
                entity = "PATIENT" if name == "patient_label" else "PERSON"
                out.append(self.result(start, end, score, entity))
        return out


class SpeakerNameRecognizer(RegexRecognizer):
    """Speaker labels at line starts ("Marcus: ...") and WebVTT voice tags (``<v Dana>``)."""

    ENTITY = "PERSON"
    FLAGS = re.MULTILINE
    PATTERNS = [
        ("speaker", rf"^[^\S\n]*(?:\[?[\d:.]+\]?[^\S\n]*)?(?P<v>{_CAP_NAME}(?:[^\S\n]+{_CAP_NAME})?)[^\S\n]*(?:\([^)\n]{{1,30}}\))?[^\S\n]*:(?!\d)", 0.7),
        ("vtt_voice", r"<v(?:\.[\w.-]+)?[^\S\n]+(?P<v>[^>\n]{1,40})>", 0.8),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Section headers and role labels are not names."""
        return not any(w.lower() in _ROLE_LABELS or w.lower() in _STOP for w in value.split())

