from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Sanction


async def add(session: AsyncSession, s: Sanction) -> Sanction:
    session.add(s)
    await session.flush()
    return s


async def for_project(session: AsyncSession, project_id: uuid.UUID) -> Sequence[Sanction]:
    return (
        await session.scalars(select(Sanction).where(Sanction.project_id == project_id).order_by(Sanction.created_at))
    ).all()


async def levels_by_project(session: AsyncSession, project_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = {p: [] for p in project_ids}
    if project_ids:
        rows = await session.execute(
            select(Sanction.project_id, Sanction.level).where(Sanction.project_id.in_(project_ids))
        )
        for pid, level in rows:
            out[pid].append(level)
    return out
