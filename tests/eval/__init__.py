"""Tests of the evaluation harness: gate, reports, fairness perturbations, LLM cache."""
