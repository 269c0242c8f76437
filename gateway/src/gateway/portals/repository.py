"""Every query of the portals' own state."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from .models import PublicProject


async def get_public_project(session: AsyncSession, project_id: str) -> PublicProject | None:
    return await session.get(PublicProject, project_id)


def add_public_project(session: AsyncSession, project: PublicProject) -> PublicProject:
    session.add(project)
    return project
