"""Street addresses and post-office boxes."""

import re

from guardrails.recognizers.base import RegexRecognizer

SUFFIX = (
    r"street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|terrace"
    r"|ter|circle|cir|highway|hwy|parkway|pkwy|trail|trl|square|sq|loop|pike|route|rte|row|alley"
    r"|crescent|path|run|pass|point|pt|ridge|hollow|crossing|xing|close|cove|bend|heights|hts"
    r"|glen|grove|park|plaza|plz|walk|commons|manor|mews|landing|green|hill|hills|view|estates"
)
UNIT = r"(?:,?[^\S\n]*(?:apt|apartment|unit|suite|ste|#|fl|floor|rm|room|bldg|building|lot|trlr|trailer)\.?[^\S\n]*#?[^\S\n]*[\w-]{1,6})"
_STOP = {
    "the", "a", "an", "on", "in", "to", "of", "and", "or", "for", "with", "at", "by", "my", "his", "her",
    "minutes", "minute", "mins", "min", "times", "time", "hours", "hour", "days", "day", "weeks", "week",
    "mg", "sessions", "session", "years", "year", "months", "month", "visits", "was", "is", "are", "were",
    "i", "we", "you", "he", "she", "they", "it", "that", "this", "all", "out", "more", "over", "back",
}


class AddressRecognizer(RegexRecognizer):
    """House number, up to five street-name words, a street suffix, optional unit."""

    ENTITY = "ADDRESS"
    PATTERNS = [
        (
            "street",
            rf"(?<![\w$.,-])(?P<v>\d{{1,6}}[A-Za-z]?(?:-\d{{1,4}})?[^\S\n]+(?:[NSEW]\.?[^\S\n]+|(?:north|south|east|west)[^\S\n]+)?"
            rf"(?P<name>(?:[A-Za-z0-9][\w'.-]*[^\S\n]+){{0,4}}[A-Za-z][\w'.-]*[^\S\n]+)(?:{SUFFIX})\b\.?(?:[^\S\n]+(?:NE|NW|SE|SW|N|S|E|W)\b)?{UNIT}?)",
            0.85,
        ),
        ("po_box", r"\b(?P<v>p\.?[^\S\n]?o\.?[^\S\n]+box[^\S\n]+\d{1,6})\b", 0.9),
        ("route_number", r"\b(?P<v>\d{1,6}[^\S\n]+(?:state[^\S\n]+|county[^\S\n]+|us[^\S\n]+)?(?:route|rte|highway|hwy|road|rr)[^\S\n]+\d{1,4}[A-Z]?)\b", 0.85),
        ("unit_line", r"(?<=\n)(?P<v>(?:apt|apartment|unit|suite|ste)\.?[^\S\n]*#?[^\S\n]*[\w-]{1,6})(?=\s*\n)", 0.7),
        ("unit", r"\b(?P<v>(?:Apt|Apartment|Suite|Ste|Unit|Rm|Room|Bldg|Lot)\.?[^\S\n]*#?[^\S\n]*\d{1,5}[A-Z]?)\b", 0.55),
        ("name_then_number", r"(?<![\w.,-])(?P<v>\d{1,5}[ ][A-ZÀ-Þ][a-zà-ÿ]+(?:[ ][A-ZÀ-Þ][a-zà-ÿ]+){0,2}\.?[ ]\d{1,5}[A-Za-z]?)(?=[^\S\n]*(?:,|>|\n|[^\S\n]{2}|Apt|Suite|Unit|Ste|Box))", 0.6),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Reject "15 minutes on the way"-like phrases: no stop words in the street name."""
        if not value[:1].isdigit():
            return True  # units and PO boxes are address parts by construction
        words = re.findall(r"[^\W\d_][\w']*", value)
        if value[-1:].isdigit():  # "Edeby 55": street name then number
            return bool(words) and not any(w.lower() in _STOP for w in words)
        if len(words) < 2:
            return False
        middle = [w.lower() for w in words[1:-1]]
        return not any(w in _STOP for w in middle) and words[0].lower() not in _STOP
