from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Rectification


async def add(session: AsyncSession, r: Rectification) -> Rectification:
    session.add(r)
    await session.flush()
    return r


async def get(session: AsyncSession, rid: uuid.UUID, *, for_update: bool = False) -> Rectification | None:
    stmt = select(Rectification).where(Rectification.id == rid)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


async def for_project(session: AsyncSession, project_id: uuid.UUID) -> Sequence[Rectification]:
    return (
        await session.scalars(
            select(Rectification).where(Rectification.project_id == project_id).order_by(Rectification.created_at)
        )
    ).all()


async def overdue_page(session: AsyncSession, as_of: date, after: tuple | None, limit: int) -> Sequence[Rectification]:
    stmt = (
        select(Rectification)
        .where(Rectification.status.in_(("open", "non_compliant")), Rectification.deadline < as_of)
        .order_by(Rectification.deadline, Rectification.id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(tuple_(Rectification.deadline, Rectification.id) > after)
    return (await session.scalars(stmt)).all()
