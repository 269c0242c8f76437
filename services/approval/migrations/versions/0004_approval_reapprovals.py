"""adjustments carry their contents (R-20.1); re-approvals (R-20.2)

Revision ID: 0004_approval_reapprovals
Revises: 0003_approval_construction
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import govkit.db

revision = "0004_approval_reapprovals"
down_revision = "0003_approval_construction"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contents", JSON, nullable=True))
    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("items_before", JSON, nullable=True))
        batch_op.add_column(sa.Column("items_after", JSON, nullable=True))
        batch_op.add_column(sa.Column("baseline_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("reapproval_id", sa.String(length=36), nullable=True))
    op.create_table(
        "reapprovals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("adjustment_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("adjusted_total_fen", sa.BigInteger(), nullable=False),
        sa.Column("previous_approved_fen", sa.BigInteger(), nullable=False),
        sa.Column("technical_opinion_no", sa.String(length=80), nullable=True),
        sa.Column("leading_group_decision", sa.String(length=20), nullable=True),
        sa.Column("estimate_report_no", sa.String(length=80), nullable=True),
        sa.Column("reviewed_fen", sa.BigInteger(), nullable=True),
        sa.Column("approval_document_no", sa.String(length=80), nullable=True),
        sa.Column("document_approved_fen", sa.BigInteger(), nullable=True),
        sa.Column("construction_months", sa.Integer(), nullable=True),
        sa.Column("approved_fen", sa.BigInteger(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("rejection_reasons", JSON, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["applications.project_id"], name=op.f("fk_reapprovals_project_id_applications")
        ),
        sa.ForeignKeyConstraint(
            ["adjustment_id"], ["adjustments.id"], name=op.f("fk_reapprovals_adjustment_id_adjustments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reapprovals")),
    )
    with op.batch_alter_table("reapprovals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reapprovals_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reapprovals_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("reapprovals")
    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        for c in ("reapproval_id", "baseline_id", "items_after", "items_before"):
            batch_op.drop_column(c)
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("contents")
