"""Tamper-evident audit trail: append-only, hash-chained events, verification and export."""

from assistant.audit.log import (
    BREAK_GLASS,
    GENESIS,
    READ_IDENTIFIED,
    AuditEvent,
    AuditLog,
    ExportFormat,
    VerifyResult,
    audit_events,
    canonical_json,
    check_chain,
    diff,
    event_hash,
    render,
)

__all__ = [
    "BREAK_GLASS",
    "GENESIS",
    "READ_IDENTIFIED",
    "AuditEvent",
    "AuditLog",
    "ExportFormat",
    "VerifyResult",
    "audit_events",
    "canonical_json",
    "check_chain",
    "diff",
    "event_hash",
    "render",
]
