from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Adjustment


async def self_adjusted_moved_fen(session: AsyncSession, project_id: str) -> int:
    return await session.scalar(select(func.coalesce(func.sum(Adjustment.amount_moved_fen), 0)).where(
        Adjustment.project_id == project_id, Adjustment.outcome == "self_adjusted")) or 0


async def list_for(session: AsyncSession, project_id: str) -> Sequence[Adjustment]:
    return (await session.scalars(select(Adjustment).where(Adjustment.project_id == project_id)
                                  .order_by(Adjustment.created_at, Adjustment.id))).all()


def add(session: AsyncSession, obj) -> None:
    session.add(obj)
