"""URLs: schemes, www. hosts and bare domains with a path."""

from guardrails.recognizers.base import RegexRecognizer

_TLDS = r"com|org|net|edu|gov|io|us|info|biz|me|co|health|app|ly|tv|ai|dev|page|site|online|care|clinic"


class SafeHarborUrlRecognizer(RegexRecognizer):
    """Web addresses; trailing punctuation is not part of the URL."""

    ENTITY = "URL"
    PATTERNS = [
        ("scheme", r"(?P<v>\b(?:https?|ftp)://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?])", 0.95),
        ("www", r"(?<![@\w.])(?P<v>www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])?)", 0.9),
        ("bare", rf"(?<![@\w./-])(?P<v>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:{_TLDS})(?:/[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])?)\b", 0.6),
    ]
