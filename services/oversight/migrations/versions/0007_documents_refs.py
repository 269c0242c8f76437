"""progress_reports.attachments: stored documents attached to a quarterly report (R-18.1, R-22.2)

Revision ID: 0007_documents_refs
Revises: 0006_reserve_policies
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_documents_refs"
down_revision = "0006_reserve_policies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "attachments",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.drop_column("attachments")
