"""Person names the statistical model misses: lower-case, all-caps and first-name-only.

Uses US Census name lists and an English word list: a token that is a known first name
and not an ordinary English word ("jen", "MARCUS", "Priya") is a name; a first name
that is also a word ("Hope", "Will", "Grace") needs a cue - a following surname, a
relation word before it ("my sister Grace"), or a speech verb after it.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.gazetteers import english_words, first_names, last_names
from guardrails.recognizers.base import RegexRecognizer

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_CUE_BEFORE = re.compile(
    r"(?:\b(?:my|his|her|their|our|your|with|and|told|asked|called|named|call|text|texted|saw|see|"
    r"visit|visited|met|love|hate|miss|dear|hi|hey|thanks|thank you|bye|ok|okay|oh|sorry|"
    r"sister|brother|mom|dad|son|daughter|wife|husband|friend|boyfriend|girlfriend|partner|"
    r"aunt|uncle|cousin|grandma|grandpa|boss|teacher|coach|baby)\s*,?\s*)$",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"^\s*(?:said|says|told|tells|asked|asks|thinks|thought|wants|wanted|called|calls|texted|"
    r"yelled|left|came|comes|is|was|has|had|and I|and me|'s|’s|keeps|gets|got|started|won't|"
    r"doesn't|didn't|can't|never|always|just|still|who|,\s*(?:I|you|we|my|it|that|this|how|what))\b",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset(
    ["client", "therapist", "patient", "counselor", "clinician", "provider", "doctor", "nurse", "mom", "dad", "mother", "father", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "god", "lord", "christmas", "easter", "thanksgiving", "ok", "okay", "yeah", "yes", "no", "hi", "hey", "um", "uh", "hmm", "mm", "mhm", "so", "well", "like", "just", "really"]
)


class PersonNameRecognizer(RegexRecognizer):
    """First names (any case) with following surnames, gated by word lists and cues."""

    ENTITY = "PERSON"

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Scan tokens for first names and extend over surnames."""
        firsts, lasts, words = first_names(), last_names(), english_words()
        tokens = list(_TOKEN.finditer(text))
        results: list[RecognizerResult] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            word = tok.group().replace("’", "'")
            low = word.lower().removesuffix("'s")
            if low not in firsts or low in _NOT_NAMES or len(low) < 2:
                i += 1
                continue
            is_word = low in words
            capitalised = word[0].isupper()
            j = i
            # extend over surnames: capitalised tokens or known surnames that are not words
            while j + 1 < len(tokens):
                nxt = tokens[j + 1]
                gap = text[tokens[j].end():nxt.start()]
                if gap not in (" ", "-") or "\n" in gap:
                    break
                nword = nxt.group()
                nlow = nword.lower()
                if nlow in _NOT_NAMES:
                    break
                if (nword[0].isupper() and capitalised and (nlow in lasts or nlow not in words)) or (
                    not nword[0].isupper() and nlow in lasts and nlow not in words
                ):
                    j += 1
                    continue
                break
            start, end = tok.start(), tokens[j].end()
            if text[end - 2:end] in ("'s", "’s"):
                end -= 2
            has_surname = j > i
            before = text[max(0, start - 30):start]
            after = text[end:end + 24]
            sentence_start = not before.strip() or before.rstrip()[-1:] in ".!?:\n\"“"
            score = 0.0
            if has_surname and (capitalised or not is_word):
                score = 0.8
            elif not is_word:
                score = 0.7 if capitalised or word.isupper() else 0.55
            elif capitalised and not word.isupper() and (_CUE_BEFORE.search(before) or _CUE_AFTER.match(after)):
                score = 0.6 if not sentence_start or _CUE_AFTER.match(after) else 0.0
            if score:
                results.append(self.result(start, end, score))
            i = j + 1
        return results
