"""Person names the statistical model misses: lower-case, all-caps and first-name-only.

Uses US Census name lists and an English word list: a token that is a known first name
and not an ordinary English word ("jen", "MARCUS", "Priya") is a name; a first name
that is also a word ("Hope", "Will", "Grace") needs a cue - a following surname, a
relation word before it ("my sister Grace"), or a speech verb after it. A capitalised
word that is neither English nor a known name ("Ignatius") also needs such a cue.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.gazetteers import first_names, last_names
from guardrails.namecheck import EVERYDAY, is_english
from guardrails.recognizers.base import RegexRecognizer

_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
_CUE_BEFORE = re.compile(
    r"(?:\b(?:my|his|her|their|our|your|with|and|told|asked|called|named|call|text|texted|saw|see|"
    r"visit|visited|met|love|hate|miss|dear|hi|hey|thanks|thank you|bye|ok|okay|oh|sorry|about|"
    r"sister|brother|mom|dad|son|daughter|wife|husband|friend|boyfriend|girlfriend|partner|"
    r"aunt|uncle|cousin|grandma|grandpa|boss|teacher|coach|baby|like|for|to|from|by)\s*,?\s*)$",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"^(?:'s\b|’s\b|\s*(?:said|says|told|tells|asked|asks|thinks|thought|wants|wanted|called|calls|texted|"
    r"yelled|left|came|comes|is|was|has|had|and I|and me|keeps|gets|got|started|won't|"
    r"doesn't|didn't|can't|never|always|just|still|who|says|agreed|cried|laughed|moved|died|passed)\b"
    r"|\s*,\s*(?:I|you|we|my|it|that|this|how|what|is|are|do|did|can)\b|\s*[?!])",
    re.IGNORECASE,
)
_LOWER_CUE = re.compile(
    r"\b(?:hey|hi|hello|thanks|thank you|thx|bye|love|dear|it's|its|this is|i'm|im|"
    r"named|called|sincerely|cheers|xo|"
    r"friend|sister|brother|mom|dad|boyfriend|girlfriend|cousin|roommate|partner)\s*,?\s*$",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset(
    """
    client therapist patient counselor clinician provider doctor nurse mom dad mother father
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december god lord christmas easter thanksgiving
    ok okay yeah yes no hi hey um uh hmm mm mhm so well like just really
    """.split()
)


def _joined(text: str, a: re.Match[str], b: re.Match[str], allow_comma: bool = False) -> bool:
    gap = text[a.end():b.start()]
    return gap in (" ", "-") or (allow_comma and gap == ", ")


class PersonNameRecognizer(RegexRecognizer):
    """First names (any case) with surrounding surnames, gated by word lists and cues."""

    ENTITY = "PERSON"

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Scan tokens for names and extend over surnames."""
        firsts, lasts = first_names(), last_names()
        tokens = list(_TOKEN.finditer(text))
        results: list[RecognizerResult] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            word = tok.group().replace("’", "'")
            low = word.lower()
            if low in _NOT_NAMES or low in EVERYDAY or len(low) < 2:
                i += 1
                continue
            known_first = low in firsts
            is_word = is_english(low)
            capitalised = word[0].isupper()
            all_caps = word.isupper()
            if not known_first and not (capitalised and not is_word and not (all_caps and len(word) <= 4)) and not (
                word.isalpha() and word.islower() and not is_word and _LOWER_CUE.search(text[max(0, tok.start() - 30):tok.start()])
            ):
                i += 1
                continue
            before = text[max(0, tok.start() - 30):tok.start()]
            sentence_start = not before.strip() or before.rstrip()[-1:] in ".!?:\n\"“"
            j = i
            while j + 1 < len(tokens) and _joined(text, tokens[j], tokens[j + 1]):
                nword = tokens[j + 1].group()
                nlow = nword.lower()
                if nlow in _NOT_NAMES:
                    break
                same_style = nword.isupper() == all_caps if all_caps else nword[0].isupper()
                if capitalised and same_style and (nlow in lasts or not is_english(nlow)):
                    j += 1
                    continue
                if not capitalised and nlow in lasts and not is_english(nlow):
                    j += 1
                    continue
                if len(nword) == 1 and nword.isupper():  # middle or last initial: "NOVAK P"
                    j += 1
                    continue
                break
            start, end = tok.start(), tokens[j].end()
            # "WHITCOMBE-SATO, ELEANOR" / "Okafor, Chidi": a surname written first
            if i > 0 and _joined(text, tokens[i - 1], tok, allow_comma=True):
                prev = tokens[i - 1].group()
                plow = prev.lower()
                if prev[0].isupper() and (prev.isupper() == all_caps) and not is_english(plow) and plow not in _NOT_NAMES:
                    start = tokens[i - 1].start()
            has_surname = j > i or start < tok.start()
            after = text[end:end + 24]
            cued = bool(_CUE_BEFORE.search(before) or _CUE_AFTER.match(after))
            score = 0.0
            if known_first:
                if has_surname and (capitalised or not is_word):
                    score = 0.8
                elif not is_word:
                    score = 0.7 if capitalised else 0.55
                elif capitalised and not all_caps and cued and (not sentence_start or _CUE_AFTER.match(after)):
                    score = 0.6
            elif has_surname or cued:
                score = 0.6 if has_surname else 0.5
            if not score and word.isalpha() and word.islower() and not is_word and _LOWER_CUE.search(before):
                score = 0.5  # "hey tamsin", "thanks, connor", "and kenji": an unknown lower-case name
            if score:
                results.append(self.result(start, end, score))
            i = j + 1
        return results
