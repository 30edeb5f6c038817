"""Offline switches for third-party libraries.

Parity runs on machines without internet access. Several libraries try to reach
the network at import or first use (litellm's model cost map, ragas telemetry,
the Hugging Face hub). These environment defaults keep them local; a value the
operator set explicitly is never overridden.
"""

import os

OFFLINE_ENV: dict[str, str] = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "LITELLM_TELEMETRY": "False",
    "RAGAS_DO_NOT_TRACK": "true",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "DO_NOT_TRACK": "1",
}


def apply_offline_defaults() -> None:
    """Set the offline environment defaults that are not already set."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
