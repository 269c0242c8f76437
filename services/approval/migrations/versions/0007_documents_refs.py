"""application_materials.document_id: the stored file a record references (govkit.documents, R-22.2)

Revision ID: 0007_documents_refs
Revises: 0006_reserve_policies
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_documents_refs"
down_revision = "0006_reserve_policies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("application_materials", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("application_materials", schema=None) as batch_op:
        batch_op.drop_column("document_id")
