"""Is this word a person's name? Shared tests for the name recognizers.

A token is name-like when it is not an ordinary English word (GCIDE), or when it is a
known first name (US Census) and not one of the everyday words people start replies
with. Surnames that are also words ("Good", "Brown") only count after a first name.
"""

from __future__ import annotations

import re

from guardrails.gazetteers import english_words, first_names, last_names

UPPER = "A-ZÀ-ÖØ-Þ"
LETTER = r"[^\W\d_]"
# A capitalised name token: upper-case first letter, then letters, apostrophes, hyphens.
CAP_NAME = rf"[{UPPER}](?:[^\W\d_]|['’-](?=[^\W\d_]))*"
ANY_NAME = r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*"

EVERYDAY = frozenset(
    """
    yeah yes no okay ok oh um uh hmm mm mhm well so like just really good great fine bad sure
    right exactly honestly maybe probably definitely actually basically pretty kind sort thanks
    thank hello hi hey sorry please wait what why how when where who which that this there here
    it its i me my we you he she they them his her our your their and or but if then because
    not never always still also too very much more most less least nothing something everything
    anything all both either neither each every some any one two three four five six seven eight
    nine ten first last next before after better worse tired scared quiet hard easy ha
    ninety hundred twenty thirty forty fifty sixty seventy eighty let lets someone anyone
    monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays
    fridays saturdays sundays january february march july september october
    november december nana gran granny grandma grandpa mama papa mommy daddy mum sis bro
    dr mr mrs ms miss mx prof rev wow long sounds calm cool pt attn cc sgt lic re dos hpi
    electronically gonna wanna kinda sorta lol omg idk tbh btw ya yall gotta dunno cuz lemme
    imma tho thx pls plz ugh meh nah yep yup nope hmmm umm uhh ahh aww
    """.split()
)
ROLE_WORDS = frozenset(
    """
    therapist client patient counselor counsellor clinician provider interviewer speaker doctor
    mother father mom dad parent guardian note notes plan assessment subjective objective data
    behavior behaviour intervention interventions response goal goals dob mrn date time session
    diagnosis diagnoses summary history reason risk mse mood affect name member nurse teacher
    """.split()
)


def _bare(token: str) -> str:
    return token.replace("’", "'").removesuffix("'s").strip(",.;:()\"“”")


_SUFFIXES = ("'s", "s", "es", "ed", "d", "ing", "ly", "ally", "er", "ers", "est", "ies", "ied", "ness")


def is_english(low: str) -> bool:
    """Whether ``low`` (lower case) is an English word, inflected forms included."""
    words = english_words()
    if low in words:
        return True
    for suffix in _SUFFIXES:
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            stem = low[: -len(suffix)]
            if stem in words or stem + "e" in words or (suffix in ("ies", "ied") and stem + "y" in words):
                return True
            if suffix == "ing" and len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in words:
                return True
    return False


def is_name_token(token: str, first: bool = True) -> bool:
    """Whether ``token`` can be (part of) a person's name.

    Args:
        token: the word as written.
        first: True for the first word of a name (surname-only words are refused then).
    """
    bare = _bare(token)
    low = bare.lower()
    if len(low) < 2 or not re.fullmatch(ANY_NAME, bare):
        return False
    if "'" in bare and not re.match(r"(?i)^(?:o|d|l|mc)'", bare):
        return False  # contractions ("That's", "Let's") are not names
    if low in EVERYDAY or low in ROLE_WORDS:
        return False
    if not is_english(low):
        return True
    if low in first_names():
        return True
    return not first and low in last_names()


def looks_like_name(value: str) -> bool:
    """Every word of ``value`` is name-like (first word held to the stricter test)."""
    words = value.split()
    return bool(words) and all(is_name_token(w, first=i == 0) for i, w in enumerate(words))
