"""Evaluation suites, one module per capability."""
