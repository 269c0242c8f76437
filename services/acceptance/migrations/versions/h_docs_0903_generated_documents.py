"""generated_documents: what docgen produced for a project (kind, number, rules, the DOCX and PDF
documents), listed by GET …/projects/{id}/generated-documents (govkit.docgen)

Revision ID: h_docs_0903_generated_documents
Revises: 0902_lifecycle_clocks
"""

from govkit.docgen import migration

revision = "h_docs_0903_generated_documents"
down_revision = "0902_lifecycle_clocks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migration.upgrade()


def downgrade() -> None:
    migration.downgrade()
