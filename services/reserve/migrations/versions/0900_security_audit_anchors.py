"""audit_anchors: Ed25519-signed heads of the audit chain (govkit.anchoring)

Revision ID: security_audit_anchors
Revises: 0005_reserve_plans
"""

from govkit import migrations

revision = "security_audit_anchors"
down_revision = "0005_reserve_plans"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.upgrade_audit_anchors()


def downgrade() -> None:
    migrations.downgrade_audit_anchors()
