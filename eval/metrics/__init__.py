"""Metric functions shared by suites."""
