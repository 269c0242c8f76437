"""documents: stored files of a project (govkit.documents; R-22.2 electronic archives)

Revision ID: 0004_documents
Revises: 0003_lifecycle_acceptance
"""

from govkit.documents import migration

revision = "0004_documents"
down_revision = "0003_lifecycle_acceptance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migration.upgrade()


def downgrade() -> None:
    migration.downgrade()
