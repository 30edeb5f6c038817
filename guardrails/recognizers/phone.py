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
        ("context_any", context(r"phone|tel|telephone|cell|cellphone|mobile|fax|desk|office|home|work|pager|whatsapp|call me at|reach me at|call at|text me at|contact") + r"(?P<v>\+?\(?\d[\d(). -]{5,20}\d)(?![\d-])", 0.75),
        ("leading_zero", r"(?<![\w.,/-])(?P<v>\(?0\d{1,4}\)?[ .-]\d{2,4}[ .-]\d{2,4}(?:[ .-]\d{2,4}){0,2})(?![\w-]|[.,]\d)", 0.6),
        ("exit_code", r"(?<![\w-])(?P<v>00\d{1,3}[ .-]\d{2,4}[ .-]\d{2,4}[ .-]\d{2,4}(?:[ .-]\d{2,4})?)(?![\w-])", 0.7),
        ("international", r"(?<![\w])(?P<v>\+\d{1,3}[\s.-]\d{1,4}(?:[\s.-]\d{2,4}){2,4})(?![\w-])", 0.7),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """A phone number has 7 to 15 digits."""
        return 7 <= sum(ch.isdigit() for ch in value) <= 15
