"""Decoding and checking user-supplied text (files, stdin, request bodies)."""

from __future__ import annotations

from assistant.errors import InputTooLargeError, InvalidInputError

_ALLOWED_CONTROL = {"\n", "\r", "\t", "\f"}


def decode_text(data: bytes, field: str, limit: int) -> str:
    """Return ``data`` as text or raise an error naming ``field``.

    Rejects empty input, input over ``limit`` bytes, binary data (NUL bytes or many
    control characters) and bytes that are not UTF-8.
    """
    if len(data) > limit:
        raise InputTooLargeError(f"input is {len(data)} bytes; the limit is {limit} bytes", field)
    if b"\x00" in data:
        raise InvalidInputError("input looks binary (contains NUL bytes); send UTF-8 text", field)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"input is not valid UTF-8 (byte {exc.start})", field) from None
    return check_text(text, field, limit)


def check_text(text: str, field: str, limit: int) -> str:
    """Check already-decoded text: not empty, not binary-looking, within ``limit``."""
    if len(text.encode("utf-8")) > limit:
        raise InputTooLargeError(f"input is over the limit of {limit} bytes", field)
    if not text.strip():
        raise InvalidInputError("input is empty", field)
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in _ALLOWED_CONTROL)
    if "\x00" in text or control > max(8, len(text) // 100):
        raise InvalidInputError("input looks binary (control characters); send plain text", field)
    return text
