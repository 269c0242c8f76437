"""Every query of surplus returns."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import SurplusReturn


async def add(session: AsyncSession, row: SurplusReturn) -> SurplusReturn:
    session.add(row)
    await session.flush()
    return row


async def list_for_project(session: AsyncSession, project_id: str) -> list[SurplusReturn]:
    stmt = (
        select(SurplusReturn)
        .where(SurplusReturn.project_id == project_id)
        .order_by(SurplusReturn.returned_on, SurplusReturn.created_at)
    )
    return list((await session.scalars(stmt)).all())
