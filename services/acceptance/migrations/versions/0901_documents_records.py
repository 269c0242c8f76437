"""acceptance_projects.preliminary_document_id / final_document_id: the stored acceptance records
(govkit.documents, R-22.2)

Revision ID: 0901_documents_records
Revises: security_audit_anchors
"""

import sqlalchemy as sa
from alembic import op

revision = "0901_documents_records"
down_revision = "security_audit_anchors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("acceptance_projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preliminary_document_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("final_document_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("acceptance_projects", schema=None) as batch_op:
        batch_op.drop_column("final_document_id")
        batch_op.drop_column("preliminary_document_id")
