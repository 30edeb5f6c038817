"""Error types that map to client errors (HTTP 4xx, CLI exit 2) with a field name."""

from __future__ import annotations


class ParityError(Exception):
    """Base of errors a caller can fix; ``field`` names the offending input."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, field: str | None = None) -> None:
        """Create the error; ``message`` must not contain PHI."""
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, str | None]:
        """The JSON error body."""
        return {"code": self.code, "message": self.message, "field": self.field}


class InvalidInputError(ParityError):
    """Input that cannot be processed (empty, binary, not UTF-8, malformed)."""

    status_code = 422
    code = "invalid_input"


class InputTooLargeError(ParityError):
    """Input over the configured size limit."""

    status_code = 413
    code = "input_too_large"


class NotFoundError(ParityError):
    """A named thing (suite, case, policy, payer) does not exist."""

    status_code = 404
    code = "not_found"
