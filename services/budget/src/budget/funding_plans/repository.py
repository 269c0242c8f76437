"""Every query of funding plans, their versions and lines."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres

from .models import FundingPlan, FundingPlanLine, FundingPlanVersion


async def lock(session: AsyncSession, year: int) -> FundingPlan | None:
    stmt = select(FundingPlan).where(FundingPlan.year == year)
    if is_postgres(session):
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt.execution_options(populate_existing=True))).one_or_none()


async def get(session: AsyncSession, year: int) -> FundingPlan | None:
    return await session.get(FundingPlan, year)


async def add(session: AsyncSession, row) -> None:
    session.add(row)
    await session.flush()


async def lines(session: AsyncSession, year: int, project_ids: list[str] | None = None) -> list[FundingPlanLine]:
    stmt = select(FundingPlanLine).where(FundingPlanLine.year == year)
    if project_ids is not None:
        stmt = stmt.where(FundingPlanLine.project_id.in_(project_ids))
    return list((await session.scalars(stmt.order_by(FundingPlanLine.project_id))).all())


async def line(session: AsyncSession, year: int, project_id: str) -> FundingPlanLine | None:
    return await session.get(FundingPlanLine, (year, project_id))


async def apply_changes(session: AsyncSession, year: int, version: int, changes: dict[str, int | None]) -> None:
    """Lines set (amount in fen) or dropped (None); the lines not named stay as they are."""
    for pid, fen in sorted(changes.items()):
        row = await session.get(FundingPlanLine, (year, pid))
        if fen is None:
            if row is not None:
                await session.delete(row)
        elif row is None:
            session.add(FundingPlanLine(year=year, project_id=pid, amount_fen=fen, version=version))
        else:
            row.amount_fen, row.version = fen, version
    await session.flush()


async def version(session: AsyncSession, year: int, number: int) -> FundingPlanVersion | None:
    stmt = select(FundingPlanVersion).where(FundingPlanVersion.year == year, FundingPlanVersion.version == number)
    return (await session.scalars(stmt)).one_or_none()


async def versions(session: AsyncSession, year: int, after: int | None, limit: int) -> list[FundingPlanVersion]:
    stmt = select(FundingPlanVersion).where(FundingPlanVersion.year == year)
    if after is not None:
        stmt = stmt.where(FundingPlanVersion.version > after)
    return list((await session.scalars(stmt.order_by(FundingPlanVersion.version).limit(limit + 1))).all())
