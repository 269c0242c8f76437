"""acceptance: the due date from the approval document's construction period (R-21.5), the
clock notices pushed to the party that must act (X-30.1), corrections of recorded steps (R-21.1),
rectification opinions on evaluation results (R-28.2)

Revision ID: 0902_lifecycle_clocks
Revises: 0901_documents_records
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import govkit.db

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

revision = "0902_lifecycle_clocks"
down_revision = "0901_documents_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("acceptance_projects", sa.Column("construction_months", sa.Integer(), nullable=True))
    op.add_column("acceptance_projects", sa.Column("due_basis", sa.String(length=30), nullable=True))
    op.execute("UPDATE acceptance_projects SET due_basis = 'planned' WHERE due_on IS NOT NULL")
    op.create_table(
        "acceptance_clock_notices",
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
    op.create_index("ix_acceptance_clock_notices_role_org", "acceptance_clock_notices", ["role", "org"])
    op.add_column("acceptance_projects", sa.Column("reopened_step", sa.String(length=30), nullable=True))
    op.create_table(
        "step_corrections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("before", JSON, nullable=False),
        sa.Column("after", JSON, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_role", sa.String(length=40), nullable=False),
        sa.Column("created_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["acceptance_projects.project_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_step_corrections_project_id", "step_corrections", ["project_id"])
    op.create_table(
        "evaluation_opinions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("evaluation_id", sa.Uuid(), nullable=False),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("by_role", sa.String(length=40), nullable=False),
        sa.Column("by_org", sa.String(length=80), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["acceptance_projects.project_id"]),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_evaluation_opinions_project_id", "evaluation_opinions", ["project_id"])
    op.create_index("ix_evaluation_opinions_org", "evaluation_opinions", ["org"])


def downgrade() -> None:
    op.drop_table("evaluation_opinions")
    op.drop_table("step_corrections")
    op.drop_table("acceptance_clock_notices")
    with op.batch_alter_table("acceptance_projects") as batch:
        batch.drop_column("reopened_step")
        batch.drop_column("due_basis")
        batch.drop_column("construction_months")
