"""Citation verifier: record quotes and policy citations."""

from __future__ import annotations

from guardrails.citations import normalize, policy_citations, quoted, verify_policy_citations, verify_quotes

SOURCES = {
    "Progress note 2025-01-14": 'Patient reports panic attacks 3x/week;\nPHQ-9 = 17. He said "I can\'t drive."',
    "Treatment plan": "Goal 1: reduce panic attacks to 1/week within 12 weeks.",
}
PASSAGES = {
    (
        "BH-OP-12",
        "4.2",
        "2024-01",
    ): "Documentation of current symptoms with  severity or frequency is required."
}


def resolve(policy_id: str, section: str, version: str | None) -> str | None:
    return PASSAGES.get((policy_id, section, version or ""))


def test_accepts_verbatim_quotes_straight_and_curly() -> None:
    letter = (
        "- “panic attacks 3x/week; PHQ-9 = 17” (Progress note 2025-01-14, dated 2025-01-14)\n"
        '- "reduce panic attacks to 1/week" (Treatment plan)\n'
        "- “He said 'I can’t drive.'” (Progress note 2025-01-14, dated 2025-01-14)\n"
    )
    assert verify_quotes(letter, SOURCES) == []
    assert [s for _, s in quoted(letter)] == [
        "Progress note 2025-01-14",
        "Treatment plan",
        "Progress note 2025-01-14",
    ]


def test_rejects_altered_quote() -> None:
    letter = "“panic attacks 4x/week; PHQ-9 = 17” (Progress note 2025-01-14, dated 2025-01-14)"
    assert verify_quotes(letter, SOURCES) == [
        "quote not found in Progress note 2025-01-14: 'panic attacks 4x/week; PHQ-9 = 17'"
    ]
    assert verify_quotes("“reduce panic attacks to 2/week” (Treatment plan)", SOURCES)


def test_rejects_unknown_source() -> None:
    assert verify_quotes("“PHQ-9 = 17” (Intake form, dated 2025-01-02)", SOURCES) == [
        "unknown source: Intake form"
    ]


def test_ignores_unmarked_quotes_and_blockquotes() -> None:
    letter = 'The plan wrote "not medically necessary".\n\n> Policy says "x" (BH-OP-12)\n'
    assert verify_quotes(letter, SOURCES) == []


def test_normalize() -> None:
    assert normalize("a\n  “b”  ’c’") == "a 'b' 'c'"


def test_policy_citations_accept_and_reject() -> None:
    good = ("BH-OP-12", "4.2", "2024-01", "current symptoms with severity or frequency")
    assert verify_policy_citations([good], resolve) == []
    assert verify_policy_citations([("BH-OP-12", "4.2", "2024-01", None)], resolve) == []
    made_up = ("BH-OP-12", "9.9", None, "anything")
    assert verify_policy_citations([made_up], resolve) == ["policy section not found: BH-OP-12 §9.9"]
    wrong = ("BH-OP-12", "4.2", "2024-01", "current symptoms with severity and duration")
    assert verify_policy_citations([wrong], resolve) == [
        "policy quote not found in BH-OP-12 §4.2 (2024-01): 'current symptoms with severity and duration'"
    ]


def test_policy_citations_read_from_letter() -> None:
    letter = (
        "### 1. Severity\n\n**Plan policy:** BH-OP-12 §4.2 (2024-01)\n\n> Documentation of current symptoms\n"
        "> with severity or frequency\n\n**Where the record meets it:**\n\n"
        "### 2. Other\n\n**Plan policy:** BH-OP-12 §9.9\n\n- “x” (Treatment plan)\n"
    )
    cited = policy_citations(letter)
    assert cited == [
        ("BH-OP-12", "4.2", "2024-01", "Documentation of current symptoms with severity or frequency"),
        ("BH-OP-12", "9.9", None, None),
    ]
    assert verify_policy_citations(cited, resolve) == ["policy section not found: BH-OP-12 §9.9"]
