"""Ages over 89 (Safe Harbor); younger ages are not identifiers."""

from guardrails.recognizers.base import RegexRecognizer

_OLD = r"(?:9\d|1[0-2]\d)"
_WORDS = r"(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one hundred(?:[- ]and)?(?:[- ]\w+)?)"


class AgeRecognizer(RegexRecognizer):
    """"92-year-old", "age 95", "aged 101", "93 y/o", "in her nineties"."""

    ENTITY = "AGE"
    PATTERNS = [
        ("years_old", rf"(?<![\d.$])(?P<v>{_OLD})[^\S\n]*(?:-|[^\S\n])?[^\S\n]*(?:years?|yrs?|y/?o\b|yo\b)(?:[- ]old)?", 0.85),
        ("age_label", rf"\b(?:age|aged|age:)[^\S\n]*(?:is|of)?[^\S\n]*(?P<v>{_OLD})\b(?!\s*(?:mg|%|minutes|min))", 0.85),
        ("words", rf"\b(?P<v>{_WORDS})[- ](?:years?|yrs?)[- ]old\b", 0.85),
        ("decade", r"\b(?:in|into)[^\S\n]+(?:his|her|their|my|your|the)?[^\S\n]*(?:late[^\S\n]+|early[^\S\n]+|mid[- ])?(?P<v>nineties|90s|90's)\b", 0.7),
        ("turning", rf"\b(?:turned|turning|turns|is)[^\S\n]+(?P<v>{_OLD})\b(?![\d.]|[^\S\n]*(?:mg|%|minutes|min|percent|dollars|pounds|lbs|days|day|calendar|business|visits|sessions|units))", 0.6),
    ]
