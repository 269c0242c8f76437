"""audit_anchors: Ed25519-signed heads of the audit chain (govkit.anchoring)

Revision ID: security_audit_anchors
Revises: 0007_documents_refs
"""

from govkit import kernel_migration

revision = "security_audit_anchors"
down_revision = "0007_documents_refs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    kernel_migration.upgrade_audit_anchors()


def downgrade() -> None:
    kernel_migration.downgrade_audit_anchors()
