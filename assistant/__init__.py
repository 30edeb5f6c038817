"""Parity: documentation and appeals assistant for behavioral-health practices.

Importing the package switches the third-party libraries it uses to offline mode
(no cost-map fetch, no telemetry, no model hub) before any of them is imported.
"""

from assistant.offline import apply_offline_defaults

apply_offline_defaults()

__version__ = "0.1.0"
