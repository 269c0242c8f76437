"""Every query of the oversight clocks (X-30.1)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ..rectifications.models import Rectification
from .models import ClockNotice

_N = aliased(ClockNotice)


async def notices(session: AsyncSession, project_ids: list[uuid.UUID]) -> set[tuple]:
    if not project_ids:
        return set()
    rows = await session.execute(
        select(ClockNotice.project_id, ClockNotice.clock, ClockNotice.ref, ClockNotice.role, ClockNotice.phase).where(
            ClockNotice.project_id.in_(project_ids)
        )
    )
    return {tuple(r) for r in rows}


def add(session: AsyncSession, row: ClockNotice) -> None:
    session.add(row)


async def rectifications_due(session: AsyncSession, *, as_of: date, lead_days: int) -> Sequence[Rectification]:
    horizon = as_of + timedelta(days=lead_days)
    stmt = (
        select(Rectification)
        .where(Rectification.status.in_(("open", "non_compliant")), Rectification.deadline <= horizon)
        .order_by(Rectification.deadline, Rectification.id)
    )
    return (await session.scalars(stmt)).all()


async def pending(session: AsyncSession, *, role: str, org: str | None, limit: int) -> list[ClockNotice]:
    cleared = (
        select(ClockNotice.project_id)
        .where(
            ClockNotice.phase == "cleared",
            ClockNotice.project_id == _N.project_id,
            ClockNotice.clock == _N.clock,
            ClockNotice.ref == _N.ref,
            ClockNotice.role == _N.role,
        )
        .correlate(_N)
    )
    stmt = select(_N).where(_N.phase != "cleared", _N.role == role, ~cleared.exists())
    if org is not None:
        stmt = stmt.where(_N.org == org)
    return list((await session.scalars(stmt.order_by(_N.due_on, _N.project_id).limit(limit))).all())
