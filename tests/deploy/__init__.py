"""Offline checks of the deployment files in ``deploy/`` (Dockerfile, compose, Helm, vLLM recipe)."""
