"""parked_events: consumed events held until their predecessor for the same project is applied
(govkit.consumer; govkit.errors.PredecessorMissing)

Revision ID: rel_1905_parked_events
Revises: security_audit_anchors
"""

from govkit import migrations

revision = "rel_1905_parked_events"
down_revision = "security_audit_anchors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.upgrade_parked_events()


def downgrade() -> None:
    migrations.downgrade_parked_events()
