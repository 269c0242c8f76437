"""Stored documents of an application — materials (R-10.1), opinions, approval documents
(govkit.documents): visible to whoever may see the application."""

from govkit.documents.endpoints import documents_router

from .applications.service import load


async def visible(session, principal, project_id: str) -> None:
    await load(session, principal, project_id, for_update=False)


router = documents_router(visible)
