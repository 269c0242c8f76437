"""policy versions added through the API (R-31.1, R-33.1): every service's local copy

Revision ID: 0005_reserve_policies
Revises: 0004_documents
"""

from govkit import policy_store

revision = "0005_reserve_policies"
down_revision = "0004_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    policy_store.upgrade()


def downgrade() -> None:
    policy_store.downgrade()
