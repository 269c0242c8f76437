"""approval document: construction period in months (R-21.5)

Revision ID: 0003_approval_construction
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_approval_construction"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("construction_months", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("construction_months")
