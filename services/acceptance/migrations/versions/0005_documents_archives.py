"""electronic archives (R-22.2): the archive index, the frozen manifest of an accepted package,
document references on archives acceptances, security assessments and secrecy reviews

Revision ID: 0005_documents_archives
Revises: 0005_reserve_policies
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import govkit.db

revision = "0005_documents_archives"
down_revision = "0005_reserve_policies"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "archive_entries",
        sa.Column("doc_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("service", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sm3", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes", sa.String(length=36), nullable=True),
        sa.Column("uploader", sa.String(length=200), nullable=False),
        sa.Column("uploader_name", sa.String(length=200), nullable=False),
        sa.Column("uploader_org", sa.String(length=80), nullable=False),
        sa.Column("stored_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_archive_entries")),
    )
    with op.batch_alter_table("archive_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_entries_project_id"), ["project_id"], unique=False)
    with op.batch_alter_table("archives_acceptances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("manifest", JSON, nullable=True))
    with op.batch_alter_table("security_assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.String(length=36), nullable=True))
    with op.batch_alter_table("secrecy_reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("secrecy_reviews", schema=None) as batch_op:
        batch_op.drop_column("document_id")
    with op.batch_alter_table("security_assessments", schema=None) as batch_op:
        batch_op.drop_column("document_id")
    with op.batch_alter_table("archives_acceptances", schema=None) as batch_op:
        batch_op.drop_column("manifest")
        batch_op.drop_column("document_id")
    with op.batch_alter_table("archive_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_entries_project_id"))
    op.drop_table("archive_entries")
