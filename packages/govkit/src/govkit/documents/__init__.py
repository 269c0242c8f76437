"""Stored documents for every service (R-22.2 electronic archives): a `documents` table, upload /
download / list endpoints, and `record` / `store_bytes` for documents a service generates itself.

Wiring in a service:
    models.py:      from govkit.documents.models import Document  # noqa: F401
    migration:      from govkit.documents import migration; migration.upgrade()
    main.py:        documents_router(visible)  where visible(session, principal, project_id) raises 404
    generated docs: await govkit.documents.service.store_bytes(session, store_of(request), project_id=…,
                        kind="technical_opinion", title=…, data=pdf_bytes, actor=principal)
    references:     await govkit.documents.service.require(session, project_id, body.document_id,
                        field="document_id", kinds=("contract",))
Storage is `govkit.storage` (local under GOVPM_DATA_DIR or S3-compatible)."""
