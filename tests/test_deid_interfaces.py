"""De-identification through its interfaces: ``parity deid`` and ``POST /v1/deidentify``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.settings import Settings

PARITY = [sys.executable, "-m", "assistant.cli"]
NOTE = "Intake note — Client: Jane Roe\n\nJane Roe can be reached at phone 555-201-3344. MRN: 00482913.\n"
ENTITY_KEYS = {"type", "start", "end", "placeholder", "score"}


def cli(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*PARITY, *args], input=stdin, capture_output=True, timeout=120, env={**os.environ, **(env or {})}
    )


def assert_deid_shape(doc: dict[str, Any], source: str) -> None:
    """``{"text", "entities": [...]}`` with offsets into ``source`` and the known entities replaced."""
    assert set(doc) == {"text", "entities"}
    assert all(set(e) == ENTITY_KEYS for e in doc["entities"])
    by_type = {e["type"]: e for e in doc["entities"]}
    phone, mrn = by_type["PHONE"], by_type["MRN"]
    assert source[phone["start"]:phone["end"]] == "555-201-3344"
    assert source[mrn["start"]:mrn["end"]] == "00482913"
    assert phone["placeholder"] == "[PHONE_1]" and mrn["placeholder"] == "[MRN_1]"
    names = [e for e in doc["entities"] if e["type"] == "PATIENT"]
    assert names and all(source[e["start"]:e["end"]] == "Jane Roe" for e in names)
    assert {e["placeholder"] for e in names} == {"[PATIENT_1]"}
    for value in ("Jane", "Roe", "555-201-3344", "00482913"):
        assert value not in doc["text"]
    assert doc["text"].startswith("Intake note — Client: [PATIENT_1]")


def test_when_cli_deid_gets_a_file_then_json_has_text_and_entity_offsets(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    out = cli("deid", str(note), "--json")
    assert out.returncode == 0, out.stderr
    assert out.stderr == b""
    assert out.stdout.count(b"\n") == 1
    assert_deid_shape(json.loads(out.stdout), NOTE)


def test_when_cli_deid_source_is_dash_then_stdin_is_read() -> None:
    out = cli("deid", "-", "--json", stdin=NOTE.encode("utf-8"))
    assert out.returncode == 0, out.stderr
    assert_deid_shape(json.loads(out.stdout), NOTE)


def test_when_cli_scan_gets_leaky_output_then_findings_have_offsets_only(tmp_path: Path) -> None:
    leaky = "[PATIENT_1] asked for a callback at phone 555-201-3344 on [DATE_1]."
    path = tmp_path / "out.txt"
    path.write_text(leaky, encoding="utf-8")
    out = cli("deid", "--scan", str(path), "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"findings"}
    assert [set(f) for f in doc["findings"]] == [{"type", "start", "end", "score"}]
    finding = doc["findings"][0]
    assert finding["type"] == "PHONE"
    assert leaky[finding["start"]:finding["end"]] == "555-201-3344"
    assert b"555-201-3344" not in out.stdout


@pytest.mark.parametrize(
    ("content", "env", "reason"),
    [
        (b"", {}, "empty"),
        (b"  \n\t\n", {}, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", {}, "binary"),
        (b"Caf\xe9 visit for the client\n", {}, "UTF-8"),
        (b"Client note. " * 10, {"PARITY_MAX_INPUT_BYTES": "100"}, "limit"),
        (None, {}, "no such file"),
    ],
    ids=["empty", "whitespace", "binary", "latin1", "oversized", "missing"],
)
def test_when_cli_input_is_bad_then_exit_2_one_stderr_line_and_no_stdout(
    tmp_path: Path, content: bytes | None, env: dict[str, str], reason: str
) -> None:
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    out = cli("deid", str(path), "--json", env=env)
    assert out.returncode == 2
    assert out.stdout == b""
    err = out.stderr.decode("utf-8")
    assert err.count("\n") == 1 and err.startswith("parity: error: FILE: ")
    assert reason in err


def test_when_cli_stdin_is_oversized_then_exit_2() -> None:
    out = cli("deid", "-", "--json", stdin=b"x" * 101, env={"PARITY_MAX_INPUT_BYTES": "100"})
    assert out.returncode == 2
    assert out.stdout == b""
    assert out.stderr.count(b"\n") == 1 and b"limit" in out.stderr


@pytest.fixture
def client(settings: Settings) -> Any:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_when_api_deidentifies_then_shape_matches_the_cli(client: TestClient) -> None:
    resp = client.post("/v1/deidentify", json={"text": NOTE})
    assert resp.status_code == 200, resp.text
    assert_deid_shape(resp.json(), NOTE)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": " \n\t "}, "text"),
        ({}, "text"),
        ({"text": "Client: Jane Roe", "date_shift_days": 99999}, "date_shift_days"),
    ],
    ids=["empty", "whitespace", "missing", "shift-out-of-range"],
)
def test_when_api_body_is_invalid_then_422_names_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    resp = client.post("/v1/deidentify", json=body)
    assert resp.status_code == 422, resp.text
    error = resp.json()["error"]
    assert error["field"] == field and error["code"] == "invalid_input"


def test_when_api_text_is_over_the_limit_then_413(settings: Settings) -> None:
    small = settings.model_copy(update={"max_input_bytes": 100})
    with TestClient(create_app(small)) as client:
        resp = client.post("/v1/deidentify", json={"text": "Client note. " * 10})
    assert resp.status_code == 413, resp.text
    error = resp.json()["error"]
    assert error["code"] == "input_too_large" and error["field"] == "text"


def test_when_case_id_is_sent_twice_then_same_name_keeps_its_placeholder(
    client: TestClient, settings: Settings
) -> None:
    first = client.post(
        "/v1/deidentify", json={"text": "Client: Jane Roe\n\nPhone 555-201-3344.", "case_id": "case-roe-17"}
    )
    second = client.post(
        "/v1/deidentify",
        json={"text": "Marcus Delgado spoke with Jane Roe about 555-201-3344.", "case_id": "case-roe-17"},
    )
    other_case = client.post(
        "/v1/deidentify",
        json={"text": "Marcus Delgado spoke with Jane Roe about 555-201-3344.", "case_id": "case-other-3"},
    )
    assert first.json()["text"] == "Client: [PATIENT_1]\n\nPhone [PHONE_1]."
    assert second.json()["text"] == "[PERSON_1] spoke with [PATIENT_1] about [PHONE_1]."
    assert other_case.json()["text"] == "[PERSON_1] spoke with [PERSON_2] about [PHONE_1]."
    vault_files = list((settings.data_dir / "vault").iterdir())
    assert len(vault_files) == 2
    for path in vault_files:
        raw = path.read_bytes()
        assert b"Jane Roe" not in raw and b"case-roe-17" not in raw and b"[PATIENT_1]" not in raw
