"""Stored documents of a budget project — contracts, invoices, evidence (R-5.1, R-26.1)
(govkit.documents): visible to whoever may see the project."""

from govkit.documents.endpoints import documents_router

from .projects.service import visible_project


async def visible(session, principal, project_id: str) -> None:
    await visible_project(session, project_id, principal)


router = documents_router(visible)
