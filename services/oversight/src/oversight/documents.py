"""Stored documents of a project under oversight — quarterly reports' attachments, rectification
evidence (govkit.documents): visible to whoever may see the project."""

import uuid

from govkit.documents.endpoints import documents_router
from govkit.errors import Problem

from .projects.service import visible_view


async def visible(session, principal, project_id: str) -> None:
    try:
        pid = uuid.UUID(str(project_id))
    except ValueError:
        raise Problem(404, "项目不存在") from None
    await visible_view(session, principal, pid)


router = documents_router(visible)
