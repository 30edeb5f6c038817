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
        ("is_age", rf"\b(?i:he|she|they|i|who|grandma|grandpa|grandmother|grandfather|mom|dad|mother|father|nana|papa)(?:'s|’s|[^\S\n]+is|[^\S\n]+was|[^\S\n]+turned|[^\S\n]+turns|[^\S\n]+will[^\S\n]+be)(?:[^\S\n]+(?:now|almost|nearly|about|over|just))?[^\S\n]+(?P<v>{_OLD})\b(?![\d:]|[.,]\d|[^\S\n]*(?:mg|%|minutes|min|percent|dollars|pounds|lbs|days|day|visits|sessions|units|miles|degrees|times|am|pm|o'clock))", 0.75),
        ("age_field", rf"\b(?i:age)\b[^\n:]{{0,20}}:[^\S\n]*(?P<v>{_OLD})\b", 0.85),
        ("words_alone", r"\b(?P<v>(?i:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|a hundred(?:[- ]and[- ]\w+)?))\b(?![^\S\n]*(?i:minutes|min|mins|dollars|bucks|percent|%|mg|pounds|lbs|days|times|sessions|seconds|hours|miles|degrees|things|people|more|of|ways|units|points))", 0.5),
        ("turning", rf"\b(?:turned|turning|turns|is)[^\S\n]+(?P<v>{_OLD})\b(?![\d.]|[^\S\n]*(?:mg|%|minutes|min|percent|dollars|pounds|lbs|days|day|calendar|business|visits|sessions|units))", 0.6),
    ]
