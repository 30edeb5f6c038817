"""Account, claim and remittance control numbers."""

from guardrails.recognizers.base import ID_TOKEN, SPACED_DIGITS, RegexRecognizer, context


class AccountRecognizer(RegexRecognizer):
    """"Acct # 88-1203", "claim number 2025031400457", "ICN: 4425...", "patient account 7781"."""

    ENTITY = "ACCOUNT"
    PATTERNS = [
        ("account", context(r"account|acct|acc|a/c|claim|claims|clm|icn|dcn|tcn|claim[^\S\n]+control|internal[^\S\n]+control|document[^\S\n]+control|payer[^\S\n]+claim|invoice|inv|statement|billing|bill|transaction|check|eft|trace|remittance|patient[^\S\n]+control|pcn") + rf"(?P<v>{ID_TOKEN}|{SPACED_DIGITS})", 0.85),
    ]
