"""Alembic migrations of Parity's relational store (cases, audit, users, denials)."""
