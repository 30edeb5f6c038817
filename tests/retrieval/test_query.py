"""Query analysis: code names, abbreviations and synonyms, payers named in a question; sparse terms."""

from __future__ import annotations

from retrieval.query import analyse, expansion_terms, mentioned_payers, payer_aliases
from retrieval.sparse import stem, term_weights, tokens

PAYERS = ["lakeshore-health", "summit-medicaid", "brightpath-behavioral", "medicare-baseline"]


def test_codes_expand_to_the_service_names_policies_use() -> None:
    assert "psychiatric diagnostic evaluation" in expansion_terms("How often can I bill 90791?")
    assert "group psychotherapy" in expansion_terms("90853 participants")
    assert expansion_terms("nothing to see here") == ""


def test_abbreviations_and_synonyms_expand() -> None:
    assert "suicidal ideation" in expansion_terms("client reports SI, what goes in the note")
    assert "telemedicine" in expansion_terms("telehealth consent renewal")
    assert "revision history" in expansion_terms("What changed in BH-OP-12?")
    # whole words only: "si" inside a word or "pa" inside "payer" expands nothing
    assert "suicidal" not in expansion_terms("basis of the decision")
    assert "prior authorization" not in expansion_terms("which payer pays")


def test_payers_named_in_a_question_are_found_by_their_distinctive_words() -> None:
    assert mentioned_payers("Does Lakeshore need a PHQ-9?", PAYERS) == ["lakeshore-health"]
    assert mentioned_payers("Medicare's redetermination deadline", PAYERS) == ["medicare-baseline"]
    assert mentioned_payers("lakeshore vs summit appeal days", PAYERS) == [
        "lakeshore-health",
        "summit-medicaid",
    ]
    assert mentioned_payers("behavioral health appeal deadline", PAYERS) == []
    assert "health" not in payer_aliases(PAYERS) and "behavioral" not in payer_aliases(PAYERS)


def test_analyse_without_known_payers_names_none() -> None:
    result = analyse("Lakeshore telehealth POS", payers=())
    assert result.payers == [] and "place of service" in result.expansion


def test_stems_join_inflections_and_keep_codes() -> None:
    assert stem("changes") == stem("changed") == stem("change")
    assert stem("limits") == stem("limit") and stem("sessions") == stem("session")
    assert stem("90837") == "90837" and stem("diagnosis") == "diagnosis"
    assert tokens("BH-OP-12 notes") == ["bh-op-12", "bh", "op", "12", "note"]


def test_only_bigrams_with_a_code_or_number_are_indexed() -> None:
    weights = term_weights("CARC 50 medical necessity denial")
    assert "carc 50" in weights and "50 medical" in weights
    assert "medical necessity" not in weights and "necessity" in weights
