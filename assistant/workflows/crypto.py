"""Checkpoint encryption: LangGraph's EncryptedSerializer with a Fernet cipher (key from the vault key)."""

from __future__ import annotations

from cryptography.fernet import Fernet
from langgraph.checkpoint.serde.encrypted import EncryptedSerializer

from guardrails.vault import fernet_key


class FernetCipher:
    """LangGraph ``CipherProtocol`` over Fernet (AES-128-CBC + HMAC-SHA256)."""

    def __init__(self, secret: str) -> None:
        """Derive the Fernet key from ``secret`` the same way the vault does."""
        self._fernet = Fernet(fernet_key(secret))

    def encrypt(self, plaintext: bytes) -> tuple[str, bytes]:
        """Encrypt one serialized checkpoint blob."""
        return "fernet", self._fernet.encrypt(plaintext)

    def decrypt(self, ciphername: str, ciphertext: bytes) -> bytes:
        """Decrypt a blob written by :meth:`encrypt`."""
        if ciphername != "fernet":
            raise ValueError(f"unknown checkpoint cipher {ciphername!r}")
        return self._fernet.decrypt(ciphertext)


def encrypted_serializer(secret: str) -> EncryptedSerializer:
    """The serializer every checkpointer uses: checkpoints are unreadable without the key."""
    return EncryptedSerializer(FernetCipher(secret))
