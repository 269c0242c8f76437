"""Queries of rebuild jobs."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import utcnow

from .models import RebuildJob


async def get(session: AsyncSession, job_id: uuid.UUID) -> RebuildJob | None:
    return await session.get(RebuildJob, job_id)


async def unfinished(session: AsyncSession) -> RebuildJob | None:
    """The queued or running job, if any (one at a time)."""
    stmt = (
        select(RebuildJob)
        .where(RebuildJob.status.in_(("queued", "running")))
        .order_by(RebuildJob.requested_at)
        .limit(1)
    )
    return (await session.scalars(stmt)).first()


def add(session: AsyncSession, job: RebuildJob) -> None:
    session.add(job)


async def claim_queued(session: AsyncSession) -> uuid.UUID | None:
    """Mark the oldest queued job running; None when there is none (or another replica took it)."""
    job_id = await session.scalar(
        select(RebuildJob.id).where(RebuildJob.status == "queued").order_by(RebuildJob.requested_at).limit(1)
    )
    if job_id is None:
        return None
    claimed = await session.execute(
        update(RebuildJob)
        .where(RebuildJob.id == job_id, RebuildJob.status == "queued")
        .values(status="running", started_at=utcnow())
    )
    return job_id if claimed.rowcount == 1 else None


async def abandon_running(session: AsyncSession) -> int:
    """Jobs left running by a process that died: their transaction rolled back, so they failed."""
    result = await session.execute(
        update(RebuildJob)
        .where(RebuildJob.status == "running")
        .values(status="failed", finished_at=utcnow(), error="the process running it stopped; start the rebuild again")
    )
    return result.rowcount
