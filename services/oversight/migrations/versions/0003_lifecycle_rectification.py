"""rectifications: the unit's answer and the ordering department's verification (R-30.1); the
order's escalation basis (R-30.2)

Revision ID: 0003_lifecycle_rectification
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_lifecycle_rectification"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = [
    ("answered_on", sa.Date()),
    ("answered_by", sa.String(length=200)),
    ("verification_result", sa.String(length=20)),
    ("verification_opinion", sa.Text()),
    ("verified_on", sa.Date()),
    ("verified_by", sa.String(length=200)),
    ("non_compliant_on", sa.Date()),
    ("escalate_to", sa.String(length=30)),
    ("escalation_basis", sa.Text()),
]


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column("rectifications", sa.Column(name, type_, nullable=True))
    # Orders closed by the unit itself before verification existed count as answered, not verified.
    op.execute(
        "UPDATE rectifications SET status = 'answered', answered_on = closed_on, answered_by = closed_by, "
        "closed_on = NULL, closed_by = NULL WHERE status = 'closed'"
    )


def downgrade() -> None:
    with op.batch_alter_table("rectifications") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
