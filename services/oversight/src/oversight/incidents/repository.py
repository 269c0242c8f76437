from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Incident


async def add(session: AsyncSession, incident: Incident) -> Incident:
    session.add(incident)
    await session.flush()
    return incident


async def get(session: AsyncSession, incident_id: uuid.UUID) -> Incident | None:
    return await session.get(Incident, incident_id)


async def for_project(session: AsyncSession, project_id: uuid.UUID) -> Sequence[Incident]:
    return (
        await session.scalars(select(Incident).where(Incident.project_id == project_id).order_by(Incident.reported_at))
    ).all()


async def page(session: AsyncSession, after: tuple | None, limit: int) -> Sequence[Incident]:
    stmt = select(Incident).order_by(Incident.reported_at.desc(), Incident.id.desc()).limit(limit + 1)
    if after is not None:
        from sqlalchemy import tuple_

        stmt = stmt.where(tuple_(Incident.reported_at, Incident.id) < after)
    return (await session.scalars(stmt)).all()
