"""documents: stored files of a project (govkit.documents; R-22.2 electronic archives)

Revision ID: 0005_documents
Revises: 0004_me_rebuild_jobs
"""

from govkit.documents import migration

revision = "0005_documents"
down_revision = "0004_me_rebuild_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migration.upgrade()


def downgrade() -> None:
    migration.downgrade()
