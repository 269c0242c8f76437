"""Every query of plan versions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres

from .models import PlanVersion


async def add(session: AsyncSession, row: PlanVersion) -> PlanVersion:
    session.add(row)
    await session.flush()
    return row


async def get(session: AsyncSession, plan_id: str, *, lock: bool = False) -> PlanVersion | None:
    stmt = select(PlanVersion).where(PlanVersion.id == plan_id)
    if lock and is_postgres(session):
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt.execution_options(populate_existing=lock))).one_or_none()


async def last_version_no(session: AsyncSession, jurisdiction: str) -> int:
    return int(
        await session.scalar(
            select(func.coalesce(func.max(PlanVersion.version_no), 0)).where(PlanVersion.jurisdiction == jurisdiction)
        )
        or 0
    )


async def approved(session: AsyncSession, jurisdiction: str, *, lock: bool = False) -> PlanVersion | None:
    """The plan in force: the jurisdiction's approved version (one at a time)."""
    stmt = select(PlanVersion).where(PlanVersion.jurisdiction == jurisdiction, PlanVersion.status == "approved")
    if lock and is_postgres(session):
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt.order_by(PlanVersion.version_no.desc()).limit(1))).one_or_none()


async def listing(session: AsyncSession, jurisdiction: str | None, status: str | None) -> list[PlanVersion]:
    stmt = select(PlanVersion)
    if jurisdiction is not None:
        stmt = stmt.where(PlanVersion.jurisdiction == jurisdiction)
    if status is not None:
        stmt = stmt.where(PlanVersion.status == status)
    return list((await session.scalars(stmt.order_by(PlanVersion.jurisdiction, PlanVersion.version_no))).all())
