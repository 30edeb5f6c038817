"""Device identifiers and serial numbers."""

from guardrails.recognizers.base import ID_TOKEN, RegexRecognizer, context


class DeviceRecognizer(RegexRecognizer):
    """"serial number CP88-2210-X", "S/N: 4471AB", "IMEI 3567...", "device id ..."."""

    ENTITY = "DEVICE"
    PATTERNS = [
        ("serial", context(r"serial|s/n|sn|imei|meid|udi|device|mac[^\S\n]+address|pump|implant|cpap|hearing[^\S\n]+aid|pacemaker|monitor|tracker|ankle[^\S\n]+monitor") + rf"(?P<v>{ID_TOKEN})", 0.85),
        ("mac", r"\b(?P<v>(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2})\b", 0.85),
    ]
