"""Employers, schools, churches, clinics and hospitals named in the text."""

from __future__ import annotations

from guardrails.recognizers.base import RegexRecognizer

_CAP = r"(?:[A-Z][A-Za-z'’&-]*|of|the|and|for|de|la)"
_HEAD = r"[A-Z][A-Za-z'’&-]*"
_SCHOOL = r"(?:Elementary|Middle|High|Junior[^\S\n]+High|Primary|Intermediate|Secondary|Charter|Montessori|Prep|Preparatory)(?:[^\S\n]+School)?|School|Academy|University|College|Community[^\S\n]+College|Institute|Seminary|Day[^\S\n]+Care|Daycare|Preschool|Learning[^\S\n]+Center"
_WORSHIP = r"Church|Chapel|Temple|Synagogue|Mosque|Masjid|Cathedral|Ministries|Ministry|Fellowship|Tabernacle|Parish|Congregation|Assembly"
_CARE = r"Hospital|Medical[^\S\n]+Center|Medical[^\S\n]+Group|Health[^\S\n]+System|Health[^\S\n]+Center|Clinic|Counseling(?:[^\S\n]+(?:Center|Services|Associates|Group))?|Behavioral[^\S\n]+Health(?:[^\S\n]+(?:Center|Services|Associates|Clinic))?|Treatment[^\S\n]+Center|Recovery[^\S\n]+Center|Rehab(?:ilitation)?(?:[^\S\n]+Center)?|Psychiatric(?:[^\S\n]+(?:Hospital|Center|Associates))?|Pediatrics|Family[^\S\n]+Practice|Urgent[^\S\n]+Care|Wellness[^\S\n]+Center|Mental[^\S\n]+Health(?:[^\S\n]+(?:Center|Services|Clinic))?|Associates|Group[^\S\n]+Practice|Detox|ER"
_BUSINESS = r"Inc\.?|LLC|Corp\.?|Corporation|Company|Co\.|Ltd\.?|Group|Foods|Market|Motors|Logistics|Manufacturing|Industries|Services|Solutions|Bank|Pharmacy|Restaurant|Diner|Cafe|Café|Bakery|Warehouse|Distribution|Construction|Salon|Store|Stores|Mart|Depot"


class OrganizationRecognizer(RegexRecognizer):
    """Named institutions by their head noun, and employers after work cues."""

    ENTITY = "ORGANIZATION"
    FLAGS = 0
    PATTERNS = [
        ("school", rf"\b(?P<v>{_HEAD}(?:[^\S\n]+{_CAP}){{0,4}}[^\S\n]+(?:{_SCHOOL}))\b", 0.85),
        ("university_of", rf"\b(?P<v>(?:University|College|Institute)[^\S\n]+of[^\S\n]+{_HEAD}(?:[^\S\n]+{_HEAD}){{0,3}})", 0.85),
        ("worship", rf"\b(?P<v>{_HEAD}(?:[^\S\n]+{_CAP}){{0,4}}[^\S\n]+(?:{_WORSHIP}))\b", 0.85),
        ("saint", r"\b(?P<v>(?:St\.?|Saint)[^\S\n]+[A-Z][a-z]+(?:'s|’s)?(?:[^\S\n]+(?:[A-Z][a-z]+))*)", 0.75),
        ("care", rf"\b(?P<v>{_HEAD}(?:[^\S\n]+{_CAP}){{0,4}}[^\S\n]+(?:{_CARE}))\b", 0.8),
        ("business", rf"\b(?P<v>{_HEAD}(?:[^\S\n]+{_CAP}){{0,3}}[^\S\n]+(?:{_BUSINESS}))(?![\w])", 0.7),
        ("works_at", rf"\b(?i:work|works|worked|working|job|employed|hired|fired|laid off|shift|shifts|manager|intern|interning|volunteer|volunteers|volunteering)[^\S\n]+(?i:at|for|by|with)[^\S\n]+(?:the[^\S\n]+)?(?P<v>{_HEAD}(?:[^\S\n]+(?:(?:&|of|and)[^\S\n]+)?{_HEAD}){{0,4}})", 0.7),
        ("employer_label", rf"(?i:\b(?:employer|company|school|workplace|place of employment|church|agency|facility|hospital|clinic|attends|goes to|enrolled at|student at|grade at))[^\S\n]*[:]?[^\S\n]*(?:the[^\S\n]+)?(?P<v>{_HEAD}(?:[^\S\n]+(?:(?:&|of|and)[^\S\n]+)?{_HEAD}){{0,4}})", 0.7),
    ]

    _NOT_ORG = frozenset(
        ["I", "The", "A", "An", "My", "He", "She", "We", "They", "It", "This", "That", "Client", "Patient", "Therapist", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "CBT", "DBT", "ACT", "EMDR", "MI", "Medicare", "Medicaid"]
    )

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Skip pronouns, weekdays and payer-program words captured by the cue patterns."""
        return value.split()[0] not in self._NOT_ORG or len(value.split()) > 2
