"""Benchmarks: speed measurements run by hand (``python -m eval.bench.<name>``)."""
