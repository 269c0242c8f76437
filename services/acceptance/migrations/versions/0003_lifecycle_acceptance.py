"""acceptance: the unit's merge choice (R-21.3), the construction filing it consumes (R-15.1,
R-16.*, R-17.1), post-evaluation commissions (R-24.2)

Revision ID: 0003_lifecycle_acceptance
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

import govkit.db

revision = "0003_lifecycle_acceptance"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = [
    ("merge_allowed", sa.Boolean(), sa.false()),
    ("path_chosen_by", sa.String(length=20), None),
    ("construction_filed_version", sa.Integer(), None),
    ("supervision_firm", sa.String(length=200), None),
    ("warranty_years", sa.Integer(), None),
    ("om_plan_provided", sa.Boolean(), sa.false()),
    ("training_plan_provided", sa.Boolean(), sa.false()),
    ("training_materials_provided", sa.Boolean(), sa.false()),
]


def upgrade() -> None:
    for name, type_, default in COLUMNS:
        op.add_column("acceptance_projects", sa.Column(name, type_, nullable=default is None, server_default=default))
    # a merged project that has not started any step may still choose.
    op.execute("UPDATE acceptance_projects SET merge_allowed = (path = 'merged')")
    op.create_table(
        "post_evaluation_commissions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("commissioned_by", sa.String(length=200), nullable=False),
        sa.Column("commissioned_on", sa.Date(), nullable=False),
        sa.Column("evaluation_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["acceptance_projects.project_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_post_evaluation_commissions_project_id", "post_evaluation_commissions", ["project_id"])
    op.create_index("ix_post_evaluation_commissions_org", "post_evaluation_commissions", ["org"])


def downgrade() -> None:
    op.drop_table("post_evaluation_commissions")
    with op.batch_alter_table("acceptance_projects") as batch:
        for name, _, _ in reversed(COLUMNS):
            batch.drop_column(name)
