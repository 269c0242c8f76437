"""Stored documents of a project in acceptance — acceptance records, security and secrecy reports
(govkit.documents): visible to whoever may see the project."""

import uuid

from govkit.documents.endpoints import documents_router
from govkit.errors import Problem

from .projects.access import load_visible


async def visible(session, principal, project_id: str) -> None:
    try:
        pid = uuid.UUID(str(project_id))
    except ValueError:
        raise Problem(404, "项目不存在") from None
    await load_visible(session, principal, pid)


router = documents_router(visible)
