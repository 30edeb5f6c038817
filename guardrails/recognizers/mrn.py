"""Medical record numbers next to their label."""

from guardrails.recognizers.base import ID_TOKEN, RegexRecognizer, context


class MrnRecognizer(RegexRecognizer):
    """"MRN: 00482913", "medical record # A-77812", "chart no. 55120"."""

    ENTITY = "MRN"
    PATTERNS = [
        ("mrn", context(r"mrn|mr#|medical[^\S\n]+record|med[^\S\n]+rec|chart|emr|ehr|patient[^\S\n]+(?:id|number|no)|pt[^\S\n]+(?:id|#)|hospital[^\S\n]+(?:id|number|no)") + rf"(?P<v>{ID_TOKEN})", 0.9),
    ]
