"""Encrypted placeholder vault: the placeholder → original map of each case.

One Fernet-encrypted file per case (AES-128-CBC + HMAC-SHA256, from ``cryptography``);
file names are keyed hashes of the case id, so not even the case id is readable on
disk. Writes are atomic (temp file + rename). Only the final step of a workflow
(re-identifying the approved note or letter) should call :meth:`Vault.reidentify`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from guardrails.pseudonymize import CaseMap

PLACEHOLDER = re.compile(r"\[[A-Z]+(?:_[A-Z]+)*_\d+\]")


class VaultError(RuntimeError):
    """The vault cannot be read with this key, or a case is unknown."""


def fernet_key(secret: str) -> bytes:
    """A Fernet key from a setting: used as is when it is one, else derived with HKDF."""
    try:
        if len(base64.urlsafe_b64decode(secret.encode())) == 32:
            return secret.encode()
    except (ValueError, TypeError):
        pass
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"parity-vault-v1", info=b"fernet").derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(derived)


def load_or_create_dev_key(path: Path) -> str:
    """Development only: a random key kept next to the data (never used in production)."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


class Vault:
    """Per-case encrypted maps under ``directory``."""

    def __init__(self, directory: Path, secret: str) -> None:
        """Open (or create) the vault folder with ``secret`` as key material."""
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        key = fernet_key(secret)
        self._fernet = Fernet(key)
        self._name_key = hashlib.sha256(b"parity-vault-names" + key).digest()

    def _path(self, case_id: str) -> Path:
        digest = hmac.new(self._name_key, case_id.encode(), hashlib.sha256).hexdigest()
        return self.directory / f"{digest}.vault"

    def load(self, case_id: str) -> CaseMap:
        """The case's map, empty for a new case."""
        path = self._path(case_id)
        if not path.exists():
            return CaseMap()
        try:
            plain = self._fernet.decrypt(path.read_bytes())
        except InvalidToken as exc:
            raise VaultError("vault entry cannot be decrypted with the configured key") from exc
        return CaseMap.model_validate_json(plain)

    def save(self, case_id: str, case_map: CaseMap) -> None:
        """Encrypt and store the case's map atomically."""
        token = self._fernet.encrypt(case_map.model_dump_json().encode())
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(token)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self._path(case_id))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def delete(self, case_id: str) -> bool:
        """Delete the case's entry; True when one existed."""
        path = self._path(case_id)
        existed = path.exists()
        path.unlink(missing_ok=True)
        return existed

    def reidentify(self, text: str, case_id: str) -> str:
        """Put the originals back in place of the case's placeholders."""
        case_map = self.load(case_id)
        if not case_map.originals and PLACEHOLDER.search(text):
            raise VaultError("no vault entry for this case")
        return PLACEHOLDER.sub(lambda m: case_map.originals.get(m.group(), m.group()), text)
