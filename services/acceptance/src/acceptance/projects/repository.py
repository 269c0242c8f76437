"""Every query of the acceptance project aggregate."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import AcceptanceProject


async def get(session: AsyncSession, project_id: uuid.UUID, *, for_update: bool = False) -> AcceptanceProject | None:
    stmt = select(AcceptanceProject).where(AcceptanceProject.project_id == project_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


def add(session: AsyncSession, project: AcceptanceProject) -> None:
    session.add(project)


def visible_to(org: str):
    """A unit's projects: its own org, or a cross-department project it takes part in."""
    needle = '%"' + org.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + '"%'
    return or_(AcceptanceProject.org == org, cast(AcceptanceProject.participant_orgs, String).like(needle, escape="\\"))


async def list_projects(
    session: AsyncSession,
    *,
    path: str | None,
    stage: str | None,
    org: str | None,
    unit_org: str | None,
    after: str | None,
    limit: int,
) -> list[AcceptanceProject]:
    stmt = select(AcceptanceProject).where(AcceptanceProject.path.is_not(None))
    if unit_org:
        stmt = stmt.where(visible_to(unit_org))
    if path:
        stmt = stmt.where(AcceptanceProject.path == path)
    if stage:
        stmt = stmt.where(AcceptanceProject.stage == stage)
    if org:
        stmt = stmt.where(AcceptanceProject.org == org)
    if after:
        stmt = stmt.where(AcceptanceProject.project_id > uuid.UUID(after))
    return list((await session.scalars(stmt.order_by(AcceptanceProject.project_id).limit(limit))).all())


async def overdue(
    session: AsyncSession, *, as_of: date, unit_org: str | None, after: str | None, limit: int
) -> list[AcceptanceProject]:
    """Not finally accepted, not terminated, and past the planned (or extended) acceptance date."""
    stmt = select(AcceptanceProject).where(
        AcceptanceProject.path.is_not(None),
        AcceptanceProject.stage != "final_accepted",
        AcceptanceProject.status != "terminated",
        AcceptanceProject.due_on.is_not(None),
        AcceptanceProject.due_on < as_of,
    )
    if unit_org:
        stmt = stmt.where(visible_to(unit_org))
    if after:
        due, pid = after.split("|")
        stmt = stmt.where(
            or_(
                AcceptanceProject.due_on > date.fromisoformat(due),
                and_(
                    AcceptanceProject.due_on == date.fromisoformat(due), AcceptanceProject.project_id > uuid.UUID(pid)
                ),
            )
        )
    stmt = stmt.order_by(AcceptanceProject.due_on, AcceptanceProject.project_id).limit(limit)
    return list((await session.scalars(stmt)).all())
