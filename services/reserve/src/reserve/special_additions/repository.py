"""Every query of special-addition decisions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import SpecialAdditionDecision


async def add(session: AsyncSession, row: SpecialAdditionDecision) -> SpecialAdditionDecision:
    session.add(row)
    await session.flush()
    return row


async def for_projects(session: AsyncSession, project_ids: Iterable[str]) -> dict[str, list[SpecialAdditionDecision]]:
    ids = list(set(project_ids))
    out: dict[str, list[SpecialAdditionDecision]] = {i: [] for i in ids}
    if not ids:
        return out
    stmt = (
        select(SpecialAdditionDecision)
        .where(SpecialAdditionDecision.project_id.in_(ids))
        .order_by(SpecialAdditionDecision.decided_at, SpecialAdditionDecision.id)
    )
    for row in (await session.scalars(stmt)).all():
        out[row.project_id].append(row)
    return out
