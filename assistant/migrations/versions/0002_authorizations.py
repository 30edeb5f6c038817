"""Authorization coordination: authorizations, the notes that count toward them, alerts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three authorization tables."""
    op.create_table(
        "authorizations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("tenant", sa.String(100), nullable=False),
        sa.Column("patient_ref", sa.String(100), nullable=False),
        sa.Column("payer", sa.String(100), nullable=True),
        sa.Column("auth_ref", sa.String(100), nullable=False),
        sa.Column("visits_authorized", sa.Integer(), nullable=False),
        sa.Column("visits_used", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("care_team", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_authorizations_tenant", "authorizations", ["tenant"])
    op.create_table(
        "authorization_notes",
        sa.Column("note_id", sa.String(60), primary_key=True),
        sa.Column("authorization_id", sa.String(36), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("met_items", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_authorization_notes_authorization_id", "authorization_notes", ["authorization_id"])
    op.create_table(
        "authorization_cases",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("authorization_id", sa.String(36), nullable=False),
        sa.Column("cpt", sa.String(5), nullable=True),
    )
    op.create_index("ix_authorization_cases_authorization_id", "authorization_cases", ["authorization_id"])
    op.create_table(
        "authorization_alerts",
        sa.Column("alert_id", sa.String(64), primary_key=True),
        sa.Column("authorization_id", sa.String(36), nullable=False),
        sa.Column("recipient", sa.String(100), nullable=False),
        sa.Column("level", sa.String(12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_authorization_alerts_authorization_id", "authorization_alerts", ["authorization_id"])
    op.create_index("ix_authorization_alerts_recipient", "authorization_alerts", ["recipient"])


def downgrade() -> None:
    """Drop the authorization tables."""
    for table in ("authorization_alerts", "authorization_cases", "authorization_notes", "authorizations"):
        op.drop_table(table)
