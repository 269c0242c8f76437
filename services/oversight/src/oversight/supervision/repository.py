"""Queries of supervised projects."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import SupervisedProject


async def get(session: AsyncSession, project_id: uuid.UUID, *, for_update: bool = False) -> SupervisedProject | None:
    stmt = select(SupervisedProject).where(SupervisedProject.project_id == project_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


async def get_or_stub(session: AsyncSession, project_id: uuid.UUID) -> SupervisedProject:
    project = await get(session, project_id, for_update=True)
    if project is None:
        project = SupervisedProject(
            project_id=project_id, participant_orgs=[], title="", standing="active", jurisdiction="city"
        )
        session.add(project)
        await session.flush()
    return project


async def approved_batch(
    session: AsyncSession, after: uuid.UUID | None, limit: int, org: str | None = None
) -> Sequence[SupervisedProject]:
    """Approved projects in project_id order (for the overdue lists and the scan)."""
    stmt = select(SupervisedProject).where(SupervisedProject.approved_on.is_not(None))
    if after is not None:
        stmt = stmt.where(SupervisedProject.project_id > after)
    if org is not None:
        stmt = stmt.where(SupervisedProject.org == org)
    return (await session.scalars(stmt.order_by(SupervisedProject.project_id).limit(limit))).all()
