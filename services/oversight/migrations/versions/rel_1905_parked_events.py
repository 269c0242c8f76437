"""parked_events: consumed events held until their predecessor for the same project is applied
(govkit.consumer; govkit.errors.PredecessorMissing)

Revision ID: rel_1905_parked_events
Revises: h_docs_0903_generated_documents
"""

from govkit import migrations

revision = "rel_1905_parked_events"
down_revision = "h_docs_0903_generated_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.upgrade_parked_events()


def downgrade() -> None:
    migrations.downgrade_parked_events()
