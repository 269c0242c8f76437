"""kernel tables: outbox (event log + audit chain), inbox, consumer cursors, idempotency records

Revision ID: 0001
Revises:
"""

from govkit import migrations

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.upgrade_kernel_tables()


def downgrade() -> None:
    migrations.downgrade_kernel_tables()
