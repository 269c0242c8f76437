"""policy versions added through the API (R-31.1, R-33.1): every service's local copy

Revision ID: 0003_reserve_policies
Revises: 0002
"""
from govkit import policy_store

revision = "0003_reserve_policies"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    policy_store.upgrade()


def downgrade() -> None:
    policy_store.downgrade()
