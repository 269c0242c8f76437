"""oversight: the clock notices pushed to the party that must act (X-30.1)

Revision ID: 0901_lifecycle_clocks
Revises: security_audit_anchors
"""

import sqlalchemy as sa
from alembic import op

import govkit.db

revision = "0901_lifecycle_clocks"
down_revision = "security_audit_anchors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oversight_clock_notices",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("clock", sa.String(length=40), nullable=False),
        sa.Column("ref", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("org", sa.String(length=80), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("notified_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "clock", "ref", "role", "phase"),
    )
    op.create_index("ix_oversight_clock_notices_role_org", "oversight_clock_notices", ["role", "org"])


def downgrade() -> None:
    op.drop_table("oversight_clock_notices")
