"""Safe Harbor recognizers for Presidio, one per file (see ``guardrails/conf/deid.yaml``)."""
