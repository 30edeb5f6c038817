"""Telephone and fax numbers in the formats people write them."""

from guardrails.recognizers.base import RegexRecognizer, context


class SafeHarborPhoneRecognizer(RegexRecognizer):
    """North-American numbers with separators, extensions and +1; contextual bare 10 digits."""

    ENTITY = "PHONE"
    PATTERNS = [
        (
            "nanp",
            r"(?<![\w/.-])(?P<v>(?:\+?1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
            r"(?:[^\S\n]*(?:ext\.?|x|extension)[^\S\n]*\d{1,5})?)(?![\w-])",
            0.85,
        ),
        ("context_bare", context(r"phone|tel|telephone|cell|mobile|fax|call|text|pager|contact") + r"(?P<v>\+?1?\d{10})\b", 0.85),
        ("seven_digit", context(r"phone|tel|cell|fax|call|text") + r"(?P<v>\d{3}-\d{4})\b", 0.7),
        ("international", r"(?<![\w])(?P<v>\+\d{1,3}[\s.-]\d{1,4}(?:[\s.-]\d{2,4}){2,4})(?![\w-])", 0.7),
    ]
