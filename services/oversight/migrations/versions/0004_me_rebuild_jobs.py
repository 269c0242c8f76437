"""rebuild jobs: the whole-project view rebuilt in the background

Revision ID: 0004_me_rebuild_jobs
Revises: 0003_exports_search
"""

import sqlalchemy as sa
from alembic import op

import govkit.db

revision = "0004_me_rebuild_jobs"
down_revision = "0003_exports_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rebuild_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_at", govkit.db.UTCDateTime(), nullable=False),
        sa.Column("started_at", govkit.db.UTCDateTime(), nullable=True),
        sa.Column("finished_at", govkit.db.UTCDateTime(), nullable=True),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("projects", sa.Integer(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rebuild_jobs")),
    )
    op.create_index(op.f("ix_rebuild_jobs_status"), "rebuild_jobs", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_rebuild_jobs_status"), table_name="rebuild_jobs")
    op.drop_table("rebuild_jobs")
