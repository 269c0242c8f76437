"""application_materials: the legacy free-text `uri` that named one of the project's own stored documents
(`/api/v1/approval/documents/<id>`, what the console sent before `document_id` existed) becomes that
`document_id`; other links stay as they were, readable, no longer accepted (issue 16)

Revision ID: h_docs_0901_materials_uri
Revises: security_audit_anchors
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "h_docs_0901_materials_uri"
down_revision = "security_audit_anchors"
branch_labels = None
depends_on = None

OWN = re.compile(r"^(?:https?://[^/]+)?/api/v1/approval/documents/([0-9a-fA-F-]{36})/?$")


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, project_id, uri FROM application_materials WHERE uri IS NOT NULL AND document_id IS NULL")
    ).all()
    for material_id, project_id, uri in rows:
        m = OWN.match(uri.strip())
        if m is None:
            continue
        owned = bind.execute(
            sa.text("SELECT id FROM documents WHERE id = :d AND project_id = :p"),
            {"d": m.group(1).lower(), "p": project_id},
        ).first()
        if owned is not None:
            bind.execute(
                sa.text("UPDATE application_materials SET document_id = :d WHERE id = :m"),
                {"d": owned[0], "m": material_id},
            )


def downgrade() -> None:
    pass  # the uri is kept, so nothing is lost by going back
