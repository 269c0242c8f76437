from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import ConstructionFiling


async def get(session: AsyncSession, project_id: uuid.UUID, *, for_update: bool = False) -> ConstructionFiling | None:
    stmt = select(ConstructionFiling).where(ConstructionFiling.project_id == project_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()
