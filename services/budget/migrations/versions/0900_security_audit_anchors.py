"""audit_anchors: Ed25519-signed heads of the audit chain (govkit.anchoring)

Revision ID: security_audit_anchors
Revises: 0006_documents_refs
"""

from govkit import migrations

revision = "security_audit_anchors"
down_revision = "0006_documents_refs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.upgrade_audit_anchors()


def downgrade() -> None:
    migrations.downgrade_audit_anchors()
