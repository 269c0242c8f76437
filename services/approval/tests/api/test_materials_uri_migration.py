"""Migration h_docs_0901_materials_uri: a legacy material whose free-text `uri` named one of the project's
own stored documents references that document by `document_id`; any other link is left as it was."""

import uuid
from datetime import date

from sqlalchemy import insert, text

from approval.applications.models import Application
from approval.main import SERVICE_ROOT
from govkit.db import make_engine
from govkit.dev.testing import TEST_PG, drop_databases, fresh_database_url
from govkit.migrations import alembic_config


async def _upgrade(engine, revision: str) -> None:
    from alembic import command

    cfg = alembic_config(SERVICE_ROOT, engine.url.render_as_string(hide_password=False))

    def run(connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)


async def test_legacy_uri_of_an_own_document_becomes_document_id():
    name = f"govpm_test_docs_uri_{uuid.uuid4().hex[:8]}"
    engine = make_engine(await fresh_database_url(name))
    try:
        await _upgrade(engine, "security_audit_anchors")
        pid, other = str(uuid.uuid4()), str(uuid.uuid4())
        doc, foreign = str(uuid.uuid4()), str(uuid.uuid4())
        async with engine.begin() as conn:
            for p in (pid, other):  # the model's own defaults fill what the test does not name
                await conn.execute(
                    insert(Application.__table__).values(
                        project_id=p,
                        declaration_no=f"SB-2027-{p[:4]}",
                        title="智慧城管综合平台",
                        category="business_application",
                        org="ORG-A",
                        library_year=2027,
                        estimated_fen=100_000_000,
                        declared_on=date(2026, 10, 15),
                        route="window",
                        status="open",
                    )
                )
            for d, p in ((doc, pid), (foreign, other)):
                await conn.execute(
                    text(
                        "INSERT INTO documents (id, project_id, kind, title, filename, content_type, size, sha256, "
                        "sm3, version, uploader, uploader_name, uploader_org, created_at) VALUES (:d, :p, 'proposal', "
                        "'建议书', 'a.pdf', 'application/pdf', 1, :h, :h, 1, 'u', '', 'ORG-A', CURRENT_TIMESTAMP)"
                    ),
                    {"d": d, "p": p, "h": "0" * 64},
                )
            uris = {
                "own": f"/api/v1/approval/documents/{doc}",
                "foreign": f"/api/v1/approval/documents/{foreign}",
                "web": "https://example.org/a.pdf",
            }
            for key, uri in uris.items():
                await conn.execute(
                    text(
                        "INSERT INTO application_materials (id, project_id, kind, title, uri, uploaded_by, created_at) "
                        "VALUES (:id, :p, 'proposal', '建议书', :uri, 'u', CURRENT_TIMESTAMP)"
                    ),
                    {"id": key, "p": pid, "uri": uri},
                )
        await _upgrade(engine, "head")
        async with engine.connect() as conn:
            rows = dict((await conn.execute(text("SELECT id, document_id FROM application_materials"))).all())
            kept = dict((await conn.execute(text("SELECT id, uri FROM application_materials"))).all())
        assert rows == {"own": doc, "foreign": None, "web": None}
        assert kept == uris
    finally:
        await engine.dispose()
        if TEST_PG:
            await drop_databases([name])
