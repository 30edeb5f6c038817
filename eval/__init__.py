"""Evaluation: datasets, metrics, suite runners and reports."""
