"""Certificate and licence numbers (driver's licences, professional licences)."""

from guardrails.recognizers.base import ID_TOKEN, RegexRecognizer, context


class LicenseRecognizer(RegexRecognizer):
    """"DL# S530-4412-9981", "license no. LPC-004417", "LCSW #12345", "certificate 88213"."""

    ENTITY = "LICENSE"
    PATTERNS = [
        ("license", context(r"license|licence|licensed[^\S\n]+\w+|lic|dl|driver'?s?[^\S\n]+licen[sc]e|drivers[^\S\n]+licen[sc]e|certificate|cert|certification|permit|registration|passport|dea") + rf"(?P<v>(?-i:[A-Z]{{2,4}})[ ]\d{{3,}}|{ID_TOKEN})", 0.85),
        ("credential", r"\b(?:LCSW|LPC|LMHC|LMFT|LCPC|LPCC|LICSW|LMSW|LCADC|PsyD|PhD|MD|DO|NP|PMHNP|RN|LPN|BCBA)\b[^\S\n]*(?:license|lic)?[^\S\n]*(?:#|no\.?|number)[^\S\n]*(?P<v>[A-Z0-9-]*\d[A-Z0-9-]*)", 0.85),
    ]
