"""Guardrails: de-identification, vault, output scanning, grounding checks.

Imports nothing from ``assistant/``: third-party libraries only.
"""
