"""Email addresses (no public-suffix lookup: works offline)."""

from guardrails.recognizers.base import RegexRecognizer


class SafeHarborEmailRecognizer(RegexRecognizer):
    """RFC-5322-ish local part at a dotted domain."""

    ENTITY = "EMAIL"
    PATTERNS = [
        ("email", r"(?<![\w.+-])(?P<v>[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})", 0.95),
    ]
