"""IPv4 and IPv6 addresses, validated with the standard library."""

import ipaddress

from guardrails.recognizers.base import RegexRecognizer


class IpAddressRecognizer(RegexRecognizer):
    """Dotted quads and colon-hex groups that parse as IP addresses."""

    ENTITY = "IP_ADDRESS"
    PATTERNS = [
        ("ipv4", r"(?<![\d.])(?P<v>(?:\d{1,3}\.){3}\d{1,3})(?!\.?\d)", 0.85),
        ("ipv6", r"(?<![\w:])(?P<v>(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}:[0-9a-f]{1,4})(?![\w:])", 0.8),
    ]

    def validate_value(self, value: str, text: str, start: int, end: int) -> bool:
        """Keep only real addresses."""
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return False
        return True
