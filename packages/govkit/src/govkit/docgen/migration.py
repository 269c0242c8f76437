"""The `generated_documents` table: the migration `h_docs_0903_generated_documents` of each service that
generates documents (approval, budget, acceptance, oversight) calls `upgrade()` / `downgrade()`."""

import sqlalchemy as sa
from alembic import op

import govkit.db


def upgrade() -> None:
    op.create_table(
        "generated_documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("document_no", sa.String(length=80), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("rules", govkit.db.JSONType, nullable=False),
        sa.Column("docx_id", sa.String(length=36), nullable=False),
        sa.Column("pdf_id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_by_org", sa.String(length=80), nullable=False),
        sa.Column("created_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generated_documents")),
    )
    with op.batch_alter_table("generated_documents", schema=None) as batch_op:
        batch_op.create_index("ix_generated_documents_project", ["project_id", "created_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("generated_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_generated_documents_project")
    op.drop_table("generated_documents")
