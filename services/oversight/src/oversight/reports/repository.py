from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import OverdueNotice, ProgressReport


async def get_for_quarter(
    session: AsyncSession, project_id: uuid.UUID, year: int, quarter: int, *, for_update: bool = False
) -> ProgressReport | None:
    stmt = select(ProgressReport).where(
        ProgressReport.project_id == project_id, ProgressReport.year == year, ProgressReport.quarter == quarter
    )
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


async def list_for_project(session: AsyncSession, project_id: uuid.UUID) -> Sequence[ProgressReport]:
    stmt = (
        select(ProgressReport)
        .where(ProgressReport.project_id == project_id)
        .order_by(ProgressReport.year, ProgressReport.quarter)
    )
    return (await session.scalars(stmt)).all()


async def reported_quarters(session: AsyncSession, project_ids: list[uuid.UUID]) -> dict[uuid.UUID, set]:
    out: dict[uuid.UUID, set] = {p: set() for p in project_ids}
    if not project_ids:
        return out
    rows = await session.execute(
        select(ProgressReport.project_id, ProgressReport.year, ProgressReport.quarter).where(
            ProgressReport.project_id.in_(project_ids)
        )
    )
    for pid, year, quarter in rows:
        out[pid].add((year, quarter))
    return out


async def notices(session: AsyncSession, project_ids: list[uuid.UUID]) -> set[tuple]:
    if not project_ids:
        return set()
    rows = await session.execute(
        select(OverdueNotice.project_id, OverdueNotice.year, OverdueNotice.quarter).where(
            OverdueNotice.project_id.in_(project_ids)
        )
    )
    return {tuple(r) for r in rows}


async def add_notice(session: AsyncSession, notice: OverdueNotice) -> None:
    session.add(notice)
    await session.flush()
