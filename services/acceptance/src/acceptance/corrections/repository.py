"""Every query of step corrections."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import StepCorrection


def add(session: AsyncSession, row: StepCorrection) -> None:
    session.add(row)


async def for_project(session: AsyncSession, project_id: uuid.UUID) -> list[StepCorrection]:
    stmt = (
        select(StepCorrection)
        .where(StepCorrection.project_id == project_id)
        .order_by(StepCorrection.created_at, StepCorrection.id)
    )
    return list((await session.scalars(stmt)).all())
