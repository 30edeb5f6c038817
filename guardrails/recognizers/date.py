"""Dates: every element more specific than a year (numeric, written out, ordinals)."""

import re

from guardrails.recognizers.base import RegexRecognizer

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d{2}"
_RATING_BEFORE = re.compile(
    r"(rate|rated|rating|rates|scale|score|scored|out of|level|severity|sud|suds|pain|sleep|mood"
    r"|anxiety|energy|stress|craving|urge|intensity|motivation|confidence|importance|readiness)"
    r"\W*(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)


class SafeHarborDateRecognizer(RegexRecognizer):
    """Numeric, ISO, written-out and ordinal dates; never a year alone, never a clock time."""

    ENTITY = "DATE"
    PATTERNS = [
        ("mdy_numeric", r"(?<![\w/.-])(?P<v>(?:0?[1-9]|1[0-2])(?P<sep>[/.-])(?:0?[1-9]|[12]\d|3[01])(?P=sep)(?:\d{4}|\d{2}))(?![\w/-]|\.\d)", 0.9),
        ("ymd_numeric", r"(?<![\w/.-])(?P<v>(?:19|20)\d{2}(?P<sep>[/.-])(?:0?[1-9]|1[0-2])(?P=sep)(?:0?[1-9]|[12]\d|3[01])(?:T[\d:.]+Z?)?)(?![\w/-])", 0.9),
        ("dmy_numeric", r"(?<![\w/.-])(?P<v>(?:1[3-9]|2\d|3[01])(?P<sep>[/.-])(?:0?[1-9]|1[0-2])(?P=sep)(?:\d{4}|\d{2}))(?![\w/-])", 0.8),
        ("md_numeric", r"(?<![\w/.$-])(?P<v>(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01]))(?![\w/%]|\.\d)", 0.6),
        ("month_day", rf"\b(?P<v>{MONTH}\.?[^\S\n]+{DAY}\b(?:,?[^\S\n]+{YEAR})?)(?![\w:])", 0.85),
        ("day_month", rf"\b(?P<v>(?:the[^\S\n]+)?{DAY}[^\S\n]+(?:of[^\S\n]+)?{MONTH}\b\.?(?:,?[^\S\n]+{YEAR})?)", 0.85),
        ("month_year", rf"\b(?P<v>{MONTH}\.?,?[^\S\n]+{YEAR})\b", 0.8),
        ("the_ordinal", r"\b(?P<v>the[^\S\n]+(?:[12]\d|3[01]|[1-9])(?:st|nd|rd|th))\b", 0.6),
        ("ordinal_words", r"\b(?P<v>the[^\S\n]+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[- ]first)[^\S\n]+of[^\S\n]+" + MONTH + r")\b", 0.8),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Drop ratings such as "anxiety 7/10" and bare words that only look like months."""
        if re.fullmatch(r"\d{1,2}/\d{1,2}", value):
            if value.endswith(("/10", "/5", "/100")) and _RATING_BEFORE.search(text[max(0, start - 40):start]):
                return False
            if re.match(r"\s*(?:scale|times|x\b|per\b|days?\b|weeks?\b)", text[end:end + 8], re.IGNORECASE):
                return False
        head = value.split()[0] if value.split() else value
        # "may 5" is a date, "may" alone is a verb: month_day demands digits, so only check
        # case for ambiguous words used with a number ("march 3 miles" is rare enough).
        return not (head.lower() == "may" and value.islower() and not re.search(r"\d{4}|\d(?:st|nd|rd|th)", value))


class MonthNameRecognizer(RegexRecognizer):
    """A capitalised month name alone ("since March") is still a date element."""

    ENTITY = "DATE"
    FLAGS = 0
    PATTERNS = [
        ("month_alone", r"\b(?P<v>(?:January|February|March|April|June|July|August|September|October|November|December|Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.?)(?![\w-])", 0.5),
    ]
