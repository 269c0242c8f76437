"""Every query of the oversight clocks (X-30.1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..rectifications.models import Rectification


async def rectifications_due(session: AsyncSession, *, as_of: date, lead_days: int) -> Sequence[Rectification]:
    horizon = as_of + timedelta(days=lead_days)
    stmt = (
        select(Rectification)
        .where(Rectification.status.in_(("open", "non_compliant")), Rectification.deadline <= horizon)
        .order_by(Rectification.deadline, Rectification.id)
    )
    return (await session.scalars(stmt)).all()
