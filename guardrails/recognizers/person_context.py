"""Names identified by their surroundings: titles, relations, labels, speaker tags."""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.namecheck import (
    ANY_NAME,
    CAP_NAME,
    EVERYDAY,
    ROLE_WORDS,
    UPPER,
    is_name_token,
    looks_like_name,
)
from guardrails.recognizers.base import RegexRecognizer, trie_regex

_SP = r"[^\S\n]+"
RELATIONS = (
    r"sister|brother|sis|bro|mom|mother|mum|mama|dad|father|papa|son|daughter|husband|wife|spouse"
    r"|boyfriend|girlfriend|bf|gf|partner|fianc[eé]e?|friend|bestie|buddy|roommate|boss|manager"
    r"|supervisor|coworker|co-worker|colleague|teacher|coach|cousin|aunt|auntie|uncle|niece|nephew"
    r"|grandma|grandmother|granny|nana|grandpa|grandfather|grandson|granddaughter|stepmom|stepdad"
    r"|stepson|stepdaughter|stepmother|stepfather|ex|ex-wife|ex-husband|neighbor|neighbour|pastor"
    r"|priest|rabbi|imam|sponsor|therapist|psychiatrist|doctor|counselor|caseworker|case[^\S\n]manager"
    r"|lawyer|attorney|kid|child|baby|infant|toddler|twin|pcp|prescriber|nurse|landlord|principal|tutor"
    r"|guardian|peer|classmate|foster[^\S\n](?:mom|dad|parent)|parole[^\S\n]officer|probation[^\S\n]officer"
    r"|caregiver|aide|mentor|godmother|godfather|in-law|mother-in-law|father-in-law|sister-in-law|brother-in-law"
)
RELATIONS = trie_regex(RELATIONS)
_TITLES = frozenset("dr mr mrs ms miss mx prof rev".split())


class TitledNameRecognizer(RegexRecognizer):
    """"Dr. Okafor", "Ms. Miller", "mr jones" (the title is not part of the span)."""

    ENTITY = "PERSON"
    FLAGS = 0
    PATTERNS = [
        ("title", rf"\b(?i:dr|mr|mrs|ms|miss|mx|prof|rev|fr|pastor|officer|coach|judge|nurse|sgt|capt|det|deputy|principal)\b\.?{_SP}(?P<v>{CAP_NAME}(?:(?:{_SP}|-){CAP_NAME}){{0,2}})", 0.85),
        ("title_lower", rf"\b(?:dr|mr|mrs|ms)\.?{_SP}(?P<v>{ANY_NAME})", 0.6),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """The word after a title must be name-like (surnames that are words are fine here)."""
        first = value.split()[0]
        return first[:1].isupper() or is_name_token(first, first=False)


class RelationNameRecognizer(RegexRecognizer):
    """"my sister jen", "her boyfriend, Tyler", "Brother (Tunde)", "goes by "Polly""."""

    ENTITY = "PERSON"
    FLAGS = 0
    PATTERNS = [
        ("relation", rf"\b(?i:my|his|her|their|our|your|the|a|an)[^\S\n]+(?:(?i:little|big|older|younger|baby|step|ex|late|best|new|old|twin|oldest|youngest|adult|teenage|minor)[- ]?)?(?i:{RELATIONS})s?\b[,:]?(?:[^\S\n]+[(\"“]?|[(\"“])(?P<v>{ANY_NAME}(?:{_SP}{CAP_NAME})?)", 0.75),
        ("relation_paren", rf"\b(?i:{RELATIONS})s?[^\S\n]*[(\"“](?P<v>{ANY_NAME}(?:{_SP}{CAP_NAME})?)[)\"”,;]", 0.8),
        ("initial_surname", rf"(?<![\w.])(?P<v>[{UPPER}]\.[^\S\n]?{CAP_NAME})", 0.6),
        ("relation_label", rf"(?m:^|[.;]{_SP}|\|{_SP}|[^\S\n]{{2,}})(?i:{RELATIONS})[^\S\n]*:[^\S\n]*(?P<v>{CAP_NAME}(?:{_SP}{CAP_NAME}){{0,2}})", 0.8),
        ("named", rf"\b(?i:named|called|name is|name's|names are|goes by|going by|nicknamed|nickname|aka|a\.k\.a\.|preferred name|prefers|known as)[:]?[^\S\n]*[(\"“']?(?P<v>{ANY_NAME}(?:{_SP}{CAP_NAME})?)", 0.75),
        ("relation_cap", rf"\b(?i:{RELATIONS})[^\S\n]+(?P<v>{CAP_NAME})\b", 0.6),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """The captured word must be name-like, not a verb, pronoun or title."""
        first = value.split()[0]
        if first.lower().rstrip(".") in _TITLES:
            return False
        if re.fullmatch(rf"[{UPPER}]\.", first):  # "T. Haddad": judge the surname
            rest = value.split()[1:]
            return bool(rest) and is_name_token(rest[0], first=False) and rest[0].lower() not in ROLE_WORDS
        if first[:1].isupper():
            return is_name_token(first, first=True) or (first.lower() not in ROLE_WORDS and is_name_token(first, first=False))
        return is_name_token(first, first=True)


class NicknameRecognizer(RegexRecognizer):
    """Quoted nicknames next to a name: Devontae Jackson ("DJ"), Oluwaseun "Seun" Adeyemi."""

    ENTITY = "PERSON"
    FLAGS = 0
    PATTERNS = [
        ("nickname", rf"\b{CAP_NAME}[^\S\n]*\(?[\"“'](?P<v>{CAP_NAME})[\"”']\)?", 0.75),
        ("after_nickname", rf"[\"“']{CAP_NAME}[\"”'][^\S\n]+(?P<v>{CAP_NAME})", 0.75),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Anything quoted beside a name is a name, unless it is an everyday word."""
        return value.lower() not in EVERYDAY and value.lower() not in ROLE_WORDS


class LabelledNameRecognizer(RegexRecognizer):
    """Names after form labels: "Client: Jane Doe", "Signed: Maria Lopez, LCSW".

    Names in patient fields are reported as PATIENT, all others as PERSON.
    """

    ENTITY = "PERSON"
    ENTITIES = ("PERSON", "PATIENT")
    FLAGS = re.MULTILINE
    PATTERNS = [
        ("patient_label", rf"(?i:\b(?:client|patient|pt|member|insured|subscriber|beneficiary|enrollee|minor|child|identified[^\S\n]+patient)(?:[^\S\n]+(?:full[^\S\n]+|legal[^\S\n]+)?name)?)[^\S\n]*:[^\S\n]*(?P<v>{ANY_NAME}(?:,?[^\S\n]+{ANY_NAME}\.?){{0,3}})", 0.85),
        ("other_label", rf"(?i:\b(?:name|clinician|provider|therapist|counselor|psychiatrist|prescriber|rendering[^\S\n]+provider|attending|supervisor|signed|signature|guardian|parent|emergency[^\S\n]+contact|contact|mother|father|spouse|responsible[^\S\n]+party|attn|attention|to|from|cc|pcp|referring|referred[^\S\n]+by|case[^\S\n]+manager|caseworker|probation[^\S\n]+officer|officer|school[^\S\n]+counselor))[^\S\n]*:[^\S\n]*(?P<v>{CAP_NAME}(?:[^\S\n]+(?:[{UPPER}]\.[^\S\n]+)?{CAP_NAME}){{0,2}})", 0.7),
        ("sign_off", rf"(?i:\b(?:warmly|best|best regards|kind regards|warm regards|regards|sincerely|thanks|thank you|cheers|love|respectfully|take care|with gratitude)),?[^\S\n]*\n[^\S\n]*(?P<v>{CAP_NAME}(?:[^\S\n]+{CAP_NAME}){{0,2}})", 0.75),
        ("signed_by", rf"(?i:\b(?:electronically[^\S\n]+signed[^\S\n]+by|signed[^\S\n]+by|referred[^\S\n]+by|dear|sincerely,?|regards,?|respectfully,?))[^\S\n]*:?[^\S\n]*(?P<v>{CAP_NAME}(?:[^\S\n]+(?:[{UPPER}]\.[^\S\n]+)?{CAP_NAME}){{0,2}})", 0.75),
    ]
    _CREDENTIALS = re.compile(r"^(?:LCSW|LPC|LMHC|LMFT|LCPC|PhD|PsyD|MD|DO|NP|RN|MSW|MA|MS|LICSW|LMSW|PMHNP|BCBA|LPCC|LCADC|CADC|APRN|PA|MFT)$")


    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Report the name-like words after a label; patient labels report PATIENT."""
        out: list[RecognizerResult] = []
        for name, regex, score in self.active_patterns(text):
            for m in regex.finditer(text):
                start = m.start("v")
                end = start
                first_cap = m.group("v")[:1].isupper()
                for idx, w in enumerate(re.finditer(r"\S+", m.group("v"))):
                    word = w.group()
                    bare = word.strip(",.")
                    if self._CREDENTIALS.match(bare):
                        break
                    if idx and first_cap and not bare[:1].isupper():
                        break  # "Jane Roe, seen ..." stops before "seen"
                    initial = bool(re.fullmatch(rf"[{UPPER}]\.?", bare)) and idx > 0
                    if not initial and not is_name_token(bare, first=idx == 0):
                        break
                    kept = word.rstrip(",;:")
                    if kept.endswith(".") and len(kept.rstrip(".")) > 1:
                        kept = kept.rstrip(".")  # "Jane Roe." ends the sentence; "J." is an initial
                    end = start + w.start() + len(kept)
                    if word.endswith((";", ":")):
                        break
                if end == start:
                    continue
                entity = "PATIENT" if name == "patient_label" else "PERSON"
                out.append(self.result(start, end, score, entity))
        return out


class SpeakerNameRecognizer(RegexRecognizer):
    """Speaker labels at line starts ("Marcus: ...") and WebVTT voice tags (``<v Dana>``)."""

    ENTITY = "PERSON"
    FLAGS = re.MULTILINE
    PATTERNS = [
        ("speaker", rf"(?:^|(?<=[.?!])[^\S\n]+)[^\S\n]*(?:\[?[\d:.]+\]?[^\S\n]*)?(?P<v>{CAP_NAME}(?:[^\S\n]+{CAP_NAME})?)[^\S\n]*(?:\([^)\n]{{1,30}}\))?[^\S\n]*:(?![\d/])", 0.7),
        ("vtt_voice", r"<v(?:\.[\w.-]+)?[^\S\n]+(?P<v>[^>\n]{1,40})>", 0.8),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Section headers and role labels are not names."""
        return looks_like_name(value) and not any(w.lower() in ROLE_WORDS for w in value.split())
