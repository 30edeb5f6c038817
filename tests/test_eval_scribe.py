"""The scribe evaluation runs offline on the quick subset and holds its floors."""

from __future__ import annotations

import pytest

from eval.metrics.notes import aci_dialogue, fact_found, invented_reason
from eval.runner import SuiteOptions, SuiteReport, run_suite
from eval.suites.scribe import FACTS, RISK_TALK

pytestmark = [pytest.mark.eval, pytest.mark.slow]


@pytest.fixture(scope="module")
def quick_report() -> SuiteReport:
    return run_suite("scribe", SuiteOptions(quick=True))


def test_quick_suite_grounds_every_kept_sentence(quick_report: SuiteReport) -> None:
    m = quick_report.metrics["annomi"]
    assert m["sessions"] == 15 and m["errors"] == 0
    assert m["supported_share"] == 1.0, [c["unsupported_kept"] for c in quick_report.cases if c.get("unsupported_kept")]
    assert m["removed_still_in_text"] == 0
    assert m["risk_statements_without_risk_talk"] == 0


def test_quick_suite_reports_rouge_next_to_published_figures(quick_report: SuiteReport) -> None:
    m = quick_report.metrics
    assert m["published"]["aci_bench_test1"]["gpt4_zero_shot_rouge1"] == 51.8
    for name, n in (("aci_bench", 10), ("mts_dialog", 30)):
        assert m[name]["dialogues"] == n
        scores = m[name]["offline"]
        assert {"rouge1", "rouge2", "rougeL", "scored", "errors"} <= scores.keys()
        assert scores["scored"] + scores["errors"] == n


def test_quick_suite_tags_interventions_above_floor(quick_report: SuiteReport) -> None:
    m = quick_report.metrics["intervention_tagging"]
    assert m["utterances"] > 4000
    # measured on all AnnoMI therapist turns: macro F1 0.64 (0.62 on held-out odd transcript ids)
    assert m["macro_f1"] >= 0.58, m["per_label"]
    assert m["per_label"]["question"]["f1"] >= 0.75


@pytest.mark.skipif(not FACTS.exists(), reason="synthetic transcript set not written yet")
def test_quick_suite_recalls_gold_facts_without_inventing(quick_report: SuiteReport) -> None:
    m = quick_report.metrics["facts"]
    assert m["transcripts"] == 10 and m["errors"] == 0
    assert m["invented"] == 0, [c["invented"] for c in quick_report.cases if c.get("invented")]
    # measured 0.37 with the offline engine (issue target 0.90); the floor catches regressions
    assert m["recall"] >= 0.30, m["per_kind"]


def test_when_aci_tags_then_labelled_lines() -> None:
    text = "[doctor] hi , andrew .\n[patient] hey .\nand more\n[patient_guest] i'm his wife ."
    assert aci_dialogue(text) == "Doctor: hi , andrew .\nPatient: hey . and more\nGuest: i'm his wife ."


def test_when_fact_cites_gold_line_with_keywords_then_found() -> None:
    from assistant.scribe.facts import Fact

    gold = {"kind": "score", "lines": [3], "keywords": ["PHQ-9", "14"]}
    assert fact_found(gold, [Fact(kind="score", value="the client's PHQ-9 is 14", lines=[3])], {3: ""})
    assert not fact_found(gold, [Fact(kind="score", value="the client's PHQ-9 is 14", lines=[4])], {4: ""})
    assert not fact_found(gold, [Fact(kind="mood", value="PHQ-9 is 14", lines=[3])], {3: ""})


def test_when_value_has_number_or_drug_not_in_lines_then_invented() -> None:
    from assistant.scribe.facts import Fact

    assert invented_reason(Fact(kind="score", value="PHQ-9 is 14", lines=[1]), set(), "PHQ-9 is 14") is None
    assert invented_reason(Fact(kind="score", value="PHQ-9 is 15", lines=[1]), set(), "PHQ-9 is 14")
    assert invented_reason(Fact(kind="medication", value="sertraline 50 mg", lines=[1]), set(), "taking 50 mg")
    assert invented_reason(Fact(kind="risk", value="denied", lines=[1]), {"risk"}, "denied")
    assert invented_reason(Fact(kind="participants", value="1 therapist, 1 client", lines=[1]), set(), "Hi") is None


def test_risk_talk_ignores_everyday_phrases() -> None:
    assert RISK_TALK.search("Have you had thoughts of killing yourself?")
    assert not RISK_TALK.search("That's cutting back quite a bit; the safe limit is two.")
