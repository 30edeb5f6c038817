"""Social Security numbers: any SSN-shaped number (recall beats validity in a clinical record)."""

from guardrails.recognizers.base import RegexRecognizer, context


class SsnRecognizer(RegexRecognizer):
    """Formatted SSNs anywhere; 9 bare digits next to SSN context."""

    ENTITY = "SSN"
    PATTERNS = [
        ("ssn_dashed", r"(?<![\d-])(?P<v>\d{3}-\d{2}-\d{4})(?![\d-])", 0.9),
        ("ssn_spaced", r"(?<![\d ])(?P<v>\d{3} \d{2} \d{4})(?![\d])", 0.6),
        ("ssn_dotted", r"(?<![\d.])(?P<v>\d{3}\.\d{2}\.\d{4})(?![\d.])", 0.6),
        ("ssn_context", context(r"ssn|ss#|soc\.? sec\.?|social security|social") + r"(?P<v>\d{9}|\d{3}[- .]?\d{2}[- .]?\d{4})\b", 0.95),
        ("ssn_last4", context(r"ssn|social security|social") + r"(?:last[^\S\n]+4|last[^\S\n]+four|ending(?:[^\S\n]+in)?|x{3}-x{2}-)[^\S\n:]*(?P<v>\d{4})\b", 0.8),
    ]
