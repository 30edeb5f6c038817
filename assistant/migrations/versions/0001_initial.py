"""Initial schema: users and tokens, the audit chain, cases and their outputs, classified denials.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table Parity keeps outside the checkpoints."""
    op.create_table(
        "users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("tenant", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_users_tenant", "users", ["tenant"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.String(36), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("role", sa.String(100), nullable=False),
        sa.Column("action", sa.String(200), nullable=False),
        sa.Column("case_id", sa.String(200), nullable=True),
        sa.Column("tenant", sa.String(200), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_case_id", "audit_events", ["case_id"])
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("tenant", sa.String(100), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "signed_notes",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("signed_by", sa.String(100), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "tasks",
        sa.Column("task_id", sa.String(60), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_tasks_case_id", "tasks", ["case_id"])
    op.create_table(
        "appeal_submissions",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("deadline", sa.String(10), nullable=True),
        sa.Column("submitted_by", sa.String(100), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
    )
    op.create_table(
        "denial_cases",
        sa.Column("claim_key", sa.String(64), primary_key=True),
        sa.Column("payer", sa.String(100), nullable=True),
        sa.Column("root_cause", sa.String(40), nullable=True),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("denial_date", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_denial_cases_root_cause", "denial_cases", ["root_cause"])


def downgrade() -> None:
    """Drop everything the upgrade created."""
    for table in (
        "denial_cases",
        "appeal_submissions",
        "tasks",
        "signed_notes",
        "cases",
        "audit_events",
        "api_tokens",
        "users",
    ):
        op.drop_table(table)
