"""Vehicle identifiers: licence plates next to their label, VINs by shape."""

import re

from guardrails.recognizers.base import RegexRecognizer, context


class VehicleRecognizer(RegexRecognizer):
    """Plates ("plate 7KXB221", "tag ABC-1234") and 17-character VINs."""

    ENTITY = "VEHICLE"
    PATTERNS = [
        ("plate", context(r"plate|plates|license[^\S\n]+plate|licence[^\S\n]+plate|tag|tags|registration") + r"(?P<v>(?=[A-Za-z0-9 -]*\d)[A-Za-z0-9]{1,4}[ -]?[A-Za-z0-9]{2,5})\b", 0.85),
        ("vin_context", context(r"vin|vehicle[^\S\n]+identification") + r"(?P<v>[A-HJ-NPR-Z0-9]{11,17})\b", 0.9),
        ("vin_shape", r"\b(?P<v>(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17})\b", 0.7),
    ]
    FLAGS = 0

    def flags_for(self, name: str) -> int:
        """Context words are case-insensitive; VIN shapes are upper-case."""
        return 0 if name == "vin_shape" else re.IGNORECASE
