"""Employers, schools, churches, clinics and hospitals named in the text."""

from __future__ import annotations

import re

from guardrails.namecheck import EVERYDAY, is_english
from guardrails.recognizers.base import RegexRecognizer, trie_regex

_W = r"(?:Mc|O'|O’|D'|D’)?[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|[.&-](?=[^\W\d_]))*(?:'s|’s)?"
_SEQ = rf"(?:{_W})(?:[ ](?:(?:&|and|of|the|for|de|la|del|on)[ ])?(?:{_W})){{0,5}}"
_HEADS = (
    "Elementary|Middle|High|Primary|Intermediate|Secondary|Charter|Montessori|Prep|Preparatory|School|Schools"
    "|Academy|University|College|Institute|Seminary|Daycare|Preschool|Poly"
    "|Church|Chapel|Temple|Synagogue|Mosque|Masjid|Cathedral|Ministries|Ministry|Fellowship|Tabernacle"
    "|Parish|Congregation|Assembly|Lutheran|Methodist|Baptist|Catholic|AME|Presbyterian|Episcopal|Pentecostal"
    "|Hospital|Medical|Health|Healthcare|Clinic|Counseling|Counselling|Therapy|Therapies|Psychiatry|Psychology"
    "|Psychiatric|Behavioral|Behavioural|Wellness|Recovery|Rehab|Rehabilitation|Treatment|Pediatrics|Medicine"
    "|Practice|Care|Detox|Center|Centre|Living|Home|Homes|Shelter|House|Library|Agency|Department|Dept|Probation"
    "|Court|Services|Collective|Associates|Partners|Group|PLLC|PC|LLP|LLC|Inc|Corp|Corporation|Company|Co"
    "|Ltd|Foods|Market|Motors|Logistics|Manufacturing|Industries|Solutions|Bank|Pharmacy|Restaurant|Diner|Cafe"
    "|Café|Bakery|Warehouse|Distribution|Construction|Salon|Store|Stores|Mart|Depot|Engineering|Analytics"
    "|Textiles|Auto|CPAs|Castings|Lines|Freight|Transit|Paratransit|Labs|Technologies|Tech|Systems|Works"
    "|Farms|Hotel|Inn|Resort|Casino|Gym|Fitness|YMCA|YWCA|Studio|Studios|Insurance|Realty|Properties|Airlines"
    "|Trucking|Plumbing|Electric|Landscaping|Cleaners|Hardware|Grill|Pizza|Kitchen|Brewing|Apparel|Media"
)
_HEAD_RE = re.compile(rf"\b(?:{_HEADS})\b")
_CUE = (
    r"work|works|worked|working|job|jobs|employed|hired|fired|laid off|shift|shifts|intern|interning"
    r"|volunteer|volunteers|volunteering|enrolled|student|attends|attended|attending|goes|went|go|been"
    r"|started|quit|left|joined|group|meeting|meetings|services|mass|class|classes|admitted|discharged"
    r"|stayed|inpatient|outpatient|seen|treated|referred|transferred|placed|lives|living|member"
)
_CUE = trie_regex(_CUE)
_ACRONYMS = frozenset(
    """
    hr dv ip er ed icu iop php pcp fmla ssi ssdi ada hipaa lgbtq lgbt ect tms cbt dbt act emdr mat
    aa na smart snap wic tanf cps dcfs dss va dmv irs pr co oa pi proc rem mrn dob dos cpt icd
    """.split()
)
_NEVER = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december christmas easter thanksgiving halloween
    i the a an my he she we they it this that client patient therapist dr mr mrs ms per
    cbt dbt act emdr mi medicare medicaid zoom telehealth home work school church court
    """.split()
)


class OrganizationRecognizer(RegexRecognizer):
    """Named institutions by their head noun, and employers/schools after cues."""

    ENTITY = "ORGANIZATION"
    FLAGS = 0
    PATTERNS = [
        ("head", rf"(?<![\w-])(?P<v>{_SEQ})(?![\w-])", 0.75),
        ("university_of", rf"\b(?P<v>(?:University|College|Institute)[^\S\n]+of[^\S\n]+{_SEQ})", 0.85),
        ("saint", r"\b(?P<v>(?:St\.?|Saint|Mt\.?|Mount)[^\S\n]+[A-Z][a-z]+(?:'s|’s)?(?:[^\S\n]+[A-Z][A-Za-z]+)*)", 0.6),
        ("cue", rf"\b(?i:{_CUE})[^\S\n]+(?i:at|for|with|by|to|from|in)[^\S\n]+(?:the[^\S\n]+)?(?P<v>{_SEQ})", 0.6),
        ("at", rf"\b(?i:at|for)[^\S\n]+(?:the[^\S\n]+)?(?P<v>{_SEQ})", 0.5),
        ("label", rf"(?i:\b(?:employer|company|school|workplace|place of employment|church|agency|facility|hospital|clinic|practice|provider|billing provider|rendering provider|pay-to provider|payee|organization|org))[^\S\n]*:[^\S\n]*(?P<v>{_SEQ})", 0.6),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Head-noun matches need a head; cue matches must not be everyday words."""
        words = value.split()
        first = words[0].lower().strip(".,'’")
        if _HEAD_RE.search(value.rstrip(".,")) and (len(words) >= 2 or value.isupper()):
            return first not in _NEVER or (first == "the" and len(words) >= 3)
        if first in _NEVER or first in EVERYDAY or len(value) < 2:
            return False
        preceding = text[max(0, start - 40):start].lower()
        if re.search(r"(?:employer|company|school|workplace|employment|church|agency|facility|hospital|clinic|practice|provider|payee|organization|org)\s*:\s*$", preceding):
            return len(words) >= 2 or not is_english(first)
        if not re.search(r"\b(?:at|for|by|to|from|in)\s+(?:the\s+)?$", preceding):
            return False
        if len(words) == 1 and value.isupper():
            # "at UCSF" is an institution; "to HR", "for FMLA", "from IP" are not
            return preceding.rstrip().endswith("at") and first not in _ACRONYMS
        return len(words) >= 2 or not is_english(first)
