"""kernel tables: outbox (event log + audit chain), inbox, consumer cursors, idempotency records

Revision ID: 0001
Revises:
"""

from govkit import kernel_migration

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    kernel_migration.upgrade()


def downgrade() -> None:
    kernel_migration.downgrade()
