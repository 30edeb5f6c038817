"""Pseudonymizer: consistent placeholders within a case, date shifts, LLM round trip."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from dateutil import parser as date_parser
from pydantic import BaseModel

from assistant.gateway import LLMGateway
from assistant.settings import Settings
from guardrails.deid import Deidentifier, DeidResult, get_deidentifier
from guardrails.pseudonymize import CaseMap, name_tokens
from guardrails.vault import Vault
from tests.llm_fakes import ScriptedLLM


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return get_deidentifier()


def by_surface(text: str, result: DeidResult) -> dict[str, set[str]]:
    """Surface form in the input -> placeholders it was given."""
    out: dict[str, set[str]] = defaultdict(set)
    for e in result.entities:
        assert e.placeholder is not None
        out[text[e.start:e.end]].add(e.placeholder)
    return dict(out)


@pytest.mark.parametrize(
    ("surface", "expected"),
    [("Sarah Miller", {"sarah", "miller"}), ("Ms. Miller's", {"miller"}), ("Dr. O'Neil", {"o'neil"})],
)
def test_when_name_has_title_or_possessive_then_tokens_are_bare_name_parts(
    surface: str, expected: set[str]
) -> None:
    assert name_tokens(surface) == expected


def test_when_same_phone_repeats_then_same_placeholder_and_other_phone_gets_next(deid: Deidentifier) -> None:
    text = "Call 555-201-3344 or text 555-201-3344; the clinic line is 555-201-9876."
    result = deid.deidentify(text)
    assert by_surface(text, result) == {"555-201-3344": {"[PHONE_1]"}, "555-201-9876": {"[PHONE_2]"}}
    assert result.text == "Call [PHONE_1] or text [PHONE_1]; the clinic line is [PHONE_2]."


@pytest.mark.parametrize(
    "surname",
    ["Okafor", "Miller"],  # "Miller" is also an English word: the title alone marks it as a name
)
def test_when_full_name_first_name_and_titled_surname_then_one_placeholder(
    deid: Deidentifier, surname: str
) -> None:
    text = f"Sarah {surname} attended today. Later Ms. {surname} agreed to the plan and Sarah smiled."
    result = deid.deidentify(text)
    found = by_surface(text, result)
    assert set(found) == {f"Sarah {surname}", surname, "Sarah"}
    assert set().union(*found.values()) == {"[PERSON_1]"}
    assert result.text == "[PERSON_1] attended today. Later Ms. [PERSON_1] agreed to the plan and [PERSON_1] smiled."


def test_when_two_people_share_no_name_parts_then_two_placeholders(deid: Deidentifier) -> None:
    text = "Priya Nandakumar met with Marcus Delgado. Priya said Marcus was late."
    result = deid.deidentify(text)
    found = by_surface(text, result)
    assert found["Priya Nandakumar"] == found["Priya"]
    assert found["Marcus Delgado"] == found["Marcus"]
    assert found["Priya"] != found["Marcus"]
    assert result.text == "[PERSON_1] met with [PERSON_2]. [PERSON_1] said [PERSON_2] was late."


def test_when_name_is_in_client_field_then_patient_placeholder_is_reused_later(deid: Deidentifier) -> None:
    text = "Client: Jane Roe\n\nJane Roe reported improved mood. Jane called her sister Maribel Quintanilla."
    result = deid.deidentify(text)
    found = by_surface(text, result)
    assert found["Jane Roe"] == {"[PATIENT_1]"}
    assert found["Jane"] == {"[PATIENT_1]"}
    assert found["Maribel Quintanilla"] == {"[PERSON_1]"}
    assert result.case_map.originals["[PATIENT_1]"] == "Jane Roe"
    assert result.text.startswith("Client: [PATIENT_1]\n\n[PATIENT_1] reported")


def test_when_client_field_is_followed_by_first_name_on_next_line_then_line_break_survives(
    deid: Deidentifier,
) -> None:
    text = "Client: Sarah Okafor\nSarah reported better sleep."
    result = deid.deidentify(text)
    assert all("\n" not in text[e.start:e.end] for e in result.entities)
    assert result.text == "Client: [PATIENT_1]\n[PATIENT_1] reported better sleep."


def test_when_two_calls_share_a_case_map_then_placeholders_are_consistent(deid: Deidentifier) -> None:
    case_map = CaseMap()
    first = deid.deidentify("Client: Jane Roe\n\nPhone 555-201-3344. MRN: 00482913.", case_map)
    second = deid.deidentify(
        "Jane Roe called from 555-201-3344 about Marcus Delgado. MRN: 00482913.", case_map
    )
    assert first.text == "Client: [PATIENT_1]\n\nPhone [PHONE_1]. MRN: [MRN_1]."
    assert second.text == "[PATIENT_1] called from [PHONE_1] about [PERSON_1]. MRN: [MRN_1]."
    assert second.case_map is case_map
    assert case_map.originals == {
        "[PATIENT_1]": "Jane Roe",
        "[PHONE_1]": "555-201-3344",
        "[MRN_1]": "00482913",
        "[PERSON_1]": "Marcus Delgado",
    }


def test_when_person_is_promoted_to_patient_in_a_later_call_then_earlier_text_still_reidentifies(
    deid: Deidentifier, tmp_path: Path
) -> None:
    vault = Vault(tmp_path / "vault", "synthetic passphrase for tests")
    case_map = CaseMap()
    first = deid.deidentify("Sarah Okafor came in with her friend.", case_map)
    assert first.text == "[PERSON_1] came in with her friend."
    deid.deidentify("Client: Sarah Okafor\n\nSarah is doing well.", case_map)
    vault.save("case-okafor", case_map)
    assert vault.reidentify(first.text, "case-okafor") == "Sarah Okafor came in with her friend."


@pytest.mark.parametrize(
    ("first", "second", "days"),
    [
        ("03/14/2024", "04/02/2024", 30),
        ("March 14, 2024", "December 28, 2024", -45),
        ("02/20/2024", "03/10/2024", 365),  # across a leap day
        ("December 20, 2023", "January 5, 2024", 10),  # across a year end
        ("11/30/2023", "01/15/2024", -400),
    ],
)
def test_when_dates_are_shifted_then_interval_between_them_is_kept(
    deid: Deidentifier, first: str, second: str, days: int
) -> None:
    text = f"Intake on {first}; discharge on {second}."
    result = deid.deidentify(text, date_shift_days=days)
    shifted = {text[e.start:e.end]: e.placeholder for e in result.entities if e.type == "DATE"}
    assert set(shifted) == {first, second}
    s1, s2 = (date_parser.parse(str(shifted[d])) for d in (first, second))
    o1, o2 = (date_parser.parse(d) for d in (first, second))
    assert (s2 - s1).days == (o2 - o1).days
    assert (s1 - o1).days == days
    assert result.text == f"Intake on {shifted[first]}; discharge on {shifted[second]}."
    assert first not in result.text and second not in result.text


def test_when_no_shift_is_asked_then_dates_become_placeholders(deid: Deidentifier) -> None:
    text = "Intake on 03/14/2024; discharge on 04/02/2024; reviewed 03/14/2024."
    result = deid.deidentify(text)
    assert result.text == "Intake on [DATE_1]; discharge on [DATE_2]; reviewed [DATE_1]."


class FollowUp(BaseModel):
    has_follow_up: bool
    quote: str


def echo_statement(call: dict[str, Any]) -> str:
    """The fake model quotes the statement it was given, verbatim, inside its JSON answer."""
    statement = call["messages"][-1]["content"].split("Statement:", 1)[1].strip()
    return json.dumps({"has_follow_up": True, "quote": statement})


def test_when_placeholders_go_through_the_llm_then_vault_restores_originals(
    deid: Deidentifier, settings: Settings, tmp_path: Path
) -> None:
    original = "Client: Jane Roe\n\nPlan: Jane Roe will call 555-201-3344 before the visit; MRN: 00482913."
    result = deid.deidentify(original)
    vault = Vault(tmp_path / "vault", "synthetic passphrase for tests")
    vault.save("case-roe", result.case_map)

    fake = ScriptedLLM([echo_statement])
    llm_settings = Settings.model_validate(settings.model_dump() | {"llm_model": "hosted_vllm/test-model"})
    gateway = LLMGateway(llm_settings, completion=fake)
    answer = asyncio.run(gateway.generate("gateway_selftest", {"statement": result.text}, FollowUp))

    sent = json.dumps(fake.calls[0]["messages"])
    for value in ("Jane Roe", "555-201-3344", "00482913"):
        assert value not in sent
    assert answer.value.quote == result.text
    assert {"[PATIENT_1]", "[PHONE_1]", "[MRN_1]"} <= set(result.case_map.originals)
    assert vault.reidentify(answer.value.quote, "case-roe") == original
