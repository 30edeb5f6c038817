"""Encrypted placeholder vault: round trip, encryption at rest, keys, delete, atomic writes."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from guardrails.pseudonymize import CaseMap
from guardrails.vault import Vault, VaultError, fernet_key

SECRET = "synthetic vault passphrase, tests only"
CASE_ID = "case-quintanilla-2024-0042"
ORIGINALS = {
    "[PATIENT_1]": "Maribel Quintanilla",
    "[PERSON_1]": "Marcus Delgado",
    "[PHONE_1]": "555-201-3344",
    "[MRN_1]": "00482913",
    "[EMAIL_1]": "maribel.q@example.org",
}


def sample_map() -> CaseMap:
    return CaseMap(
        originals=dict(ORIGINALS),
        keys={"NAME|maribel quintanilla": "[PATIENT_1]", "PHONE|555-201-3344": "[PHONE_1]"},
        persons={"[PATIENT_1]": ["maribel", "quintanilla"], "[PERSON_1]": ["delgado", "marcus"]},
        counters={"PATIENT": 1, "PERSON": 1, "PHONE": 1, "MRN": 1, "EMAIL": 1},
    )


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return Vault(tmp_path / "vault", SECRET)


def test_when_map_is_saved_then_load_returns_it_and_reidentify_restores_text(vault: Vault) -> None:
    vault.save(CASE_ID, sample_map())
    assert vault.load(CASE_ID) == sample_map()
    text = "[PATIENT_1] and [PERSON_1] called [PHONE_1] about [MRN_1]; [DATE_9] is unknown."
    assert vault.reidentify(text, CASE_ID) == (
        "Maribel Quintanilla and Marcus Delgado called 555-201-3344 about 00482913; [DATE_9] is unknown."
    )


def test_when_vault_is_reopened_with_same_secret_then_map_is_readable(vault: Vault, tmp_path: Path) -> None:
    vault.save(CASE_ID, sample_map())
    assert Vault(tmp_path / "vault", SECRET).load(CASE_ID) == sample_map()


def test_when_case_is_unknown_then_load_is_empty_and_reidentify_refuses(vault: Vault) -> None:
    assert vault.load("case-never-saved") == CaseMap()
    with pytest.raises(VaultError, match="no vault entry"):
        vault.reidentify("[PATIENT_1] called.", "case-never-saved")
    assert vault.reidentify("No placeholders here.", "case-never-saved") == "No placeholders here."


def test_when_files_are_read_raw_then_no_value_placeholder_or_case_id_is_in_plaintext(
    vault: Vault, tmp_path: Path
) -> None:
    vault.save(CASE_ID, sample_map())
    vault.save("case-delgado-7", CaseMap(originals={"[PERSON_1]": "Marcus Delgado"}))
    files = [p for p in (tmp_path / "vault").rglob("*") if p.is_file()]
    assert len(files) == 2
    needles = [*ORIGINALS.values(), *ORIGINALS, CASE_ID, "case-delgado-7", "quintanilla", "PATIENT"]
    for path in files:
        raw = path.read_bytes()
        for needle in needles:
            for form in (needle, needle.lower()):
                assert form.encode() not in raw, f"{form!r} readable in {path.name}"
                assert form not in path.name


def test_when_key_is_wrong_then_load_and_reidentify_raise_vault_error(vault: Vault, tmp_path: Path) -> None:
    vault.save(CASE_ID, sample_map())
    # Names are keyed by the secret too, so point the wrong key at the same file.
    wrong = Vault(tmp_path / "vault", "a different synthetic passphrase")
    wrong_path = wrong._path(CASE_ID)
    vault._path(CASE_ID).rename(wrong_path)
    with pytest.raises(VaultError, match="cannot be decrypted"):
        wrong.load(CASE_ID)
    with pytest.raises(VaultError):
        wrong.reidentify("[PATIENT_1]", CASE_ID)


def test_when_file_is_tampered_then_vault_error(vault: Vault) -> None:
    vault.save(CASE_ID, sample_map())
    path = vault._path(CASE_ID)
    token = bytearray(path.read_bytes())
    token[40] = ord("A") if token[40] != ord("A") else ord("B")
    path.write_bytes(bytes(token))
    with pytest.raises(VaultError):
        vault.load(CASE_ID)


def test_when_case_is_deleted_then_file_is_gone_and_load_is_empty(vault: Vault, tmp_path: Path) -> None:
    vault.save(CASE_ID, sample_map())
    vault.save("case-delgado-7", CaseMap(originals={"[PERSON_1]": "Marcus Delgado"}))
    assert vault.delete(CASE_ID) is True
    assert not vault._path(CASE_ID).exists()
    assert len(list((tmp_path / "vault").iterdir())) == 1
    assert vault.load(CASE_ID) == CaseMap()
    assert vault.delete(CASE_ID) is False
    assert vault.load("case-delgado-7").originals == {"[PERSON_1]": "Marcus Delgado"}


def test_when_secret_is_a_fernet_key_then_it_is_used_as_is() -> None:
    key = Fernet.generate_key()
    assert fernet_key(key.decode()) == key


@pytest.mark.parametrize("passphrase", ["correct horse battery staple", "short", "ünïcode pässphrase ✓"])
def test_when_secret_is_a_passphrase_then_a_stable_fernet_key_is_derived(passphrase: str) -> None:
    key = fernet_key(passphrase)
    assert key == fernet_key(passphrase)
    assert key != passphrase.encode()
    assert len(base64.urlsafe_b64decode(key)) == 32
    token = Fernet(key).encrypt(b"synthetic")
    assert Fernet(key).decrypt(token) == b"synthetic"
    assert fernet_key(passphrase + "!") != key


def test_when_saving_repeatedly_then_no_tmp_files_remain(vault: Vault, tmp_path: Path) -> None:
    for n in range(1, 4):
        case_map = sample_map()
        case_map.counters["PHONE"] = n
        vault.save(CASE_ID, case_map)
    names = [p.name for p in (tmp_path / "vault").iterdir()]
    assert names == [vault._path(CASE_ID).name]
    assert not any(n.endswith(".tmp") for n in names)
    assert vault.load(CASE_ID).counters["PHONE"] == 3


def test_when_rename_fails_then_old_entry_is_kept_and_tmp_is_removed(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault.save(CASE_ID, sample_map())

    def broken_replace(src: str, dst: object) -> None:
        raise OSError("disk full (simulated)")

    with monkeypatch.context() as patched, pytest.raises(OSError, match="simulated"):
        patched.setattr(os, "replace", broken_replace)
        vault.save(CASE_ID, CaseMap(originals={"[PERSON_1]": "Marcus Delgado"}))
    assert [p.name for p in (tmp_path / "vault").iterdir()] == [vault._path(CASE_ID).name]
    assert vault.load(CASE_ID) == sample_map()
