"""documents: stored files of a project (govkit.documents; R-22.2 electronic archives)

Revision ID: 0003_documents
Revises: 0002
"""

from govkit.documents import migration

revision = "0003_documents"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migration.upgrade()


def downgrade() -> None:
    migration.downgrade()
