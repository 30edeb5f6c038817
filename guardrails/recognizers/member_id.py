"""Health-plan member, subscriber and beneficiary numbers (incl. Medicare MBI shape)."""

from guardrails.recognizers.base import ID_TOKEN, SPACED_DIGITS, RegexRecognizer, context

_MBI = r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y]{2}\d{2}"
_CONTEXT = context(
    r"member|members|mem|mbr|subscriber|sub|beneficiary|bene|insured|enrollee|recipient|policy|policyholder"
    r"|medicaid|medicare|mbi|hicn|cin|health[^\S\n]+plan|insurance|ins|id[^\S\n]+card"
)


class MemberIdRecognizer(RegexRecognizer):
    """Ids after member/subscriber/policy/Medicaid labels; the MBI format anywhere."""

    ENTITY = "MEMBER_ID"
    FLAGS = 0
    PATTERNS = [
        ("member", rf"(?i:{_CONTEXT})(?P<v>{ID_TOKEN}|{SPACED_DIGITS})", 0.85),
        ("mbi", rf"\b(?P<v>{_MBI})\b", 0.8),
    ]
