from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Finding


async def add(session: AsyncSession, finding: Finding) -> Finding:
    session.add(finding)
    await session.flush()
    return finding


async def from_event(session: AsyncSession, event_id: str) -> uuid.UUID | None:
    return await session.scalar(select(Finding.id).where(Finding.source_event_id == event_id))


async def for_project(session: AsyncSession, project_id: uuid.UUID) -> Sequence[Finding]:
    return (
        await session.scalars(select(Finding).where(Finding.project_id == project_id).order_by(Finding.recorded_at))
    ).all()
