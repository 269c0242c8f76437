"""Stored documents of a declaration (govkit.documents): visible to whoever may see the declaration."""

from govkit.documents.endpoints import documents_router

from .declarations.service import get_visible


async def visible(session, principal, project_id: str) -> None:
    await get_visible(session, principal, project_id)


router = documents_router(visible)
