"""Other unique identifying numbers or codes next to id context."""

from guardrails.recognizers.base import ID_TOKEN, RegexRecognizer, context


class GenericIdRecognizer(RegexRecognizer):
    """Case, docket, student, employee, authorization and reference numbers."""

    ENTITY = "ID"
    PATTERNS = [
        ("id", context(r"id|identifier|case|docket|file|student|employee|emp|badge|auth|authorization|authorisation|prior[^\S\n]+auth|pa|precert|reference|ref|confirmation|conf|ticket|inmate|booking|court|visa|tracking|referral|order|accession|specimen|lab|requisition|voucher|client|patient|person|household|ssi|tax|tin|ein") + rf"(?P<v>{ID_TOKEN})", 0.75),
        ("hash_number", r"(?<![\w])#[^\S\n]?(?P<v>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9-]{4,})\b", 0.6),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Skip things other recognizers own or that are not ids (CPT codes, dates, times)."""
        import re

        if re.fullmatch(r"9\d{4}|[0-9]{1,3}|\d{1,2}[:/.-]\d{1,2}(?:[:/.-]\d{2,4})?", value):
            return False
        return not re.fullmatch(r"(?:19|20)\d{2}", value)
