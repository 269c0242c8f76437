"""Every query of budget projects."""

from __future__ import annotations

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres

from .models import BudgetProject, BudgetProjectOrg


async def get(session: AsyncSession, project_id: str) -> BudgetProject | None:
    return await session.get(BudgetProject, project_id)


async def lock(session: AsyncSession, project_id: str) -> BudgetProject | None:
    """The project row, locked until the transaction ends (PostgreSQL: SELECT … FOR UPDATE).
    On SQLite every write transaction starts with BEGIN IMMEDIATE, which serialises writers."""
    stmt = select(BudgetProject).where(BudgetProject.project_id == project_id)
    if is_postgres(session):
        stmt = stmt.with_for_update()
    stmt = stmt.execution_options(populate_existing=True)
    return (await session.scalars(stmt)).one_or_none()


async def add(session: AsyncSession, project: BudgetProject) -> BudgetProject:
    session.add(project)
    await session.flush()
    return project


async def set_orgs(session: AsyncSession, project_id: str, orgs: list[str]) -> None:
    await session.execute(delete(BudgetProjectOrg).where(BudgetProjectOrg.project_id == project_id))
    for org in sorted(set(o for o in orgs if o)):
        session.add(BudgetProjectOrg(project_id=project_id, org=org))
    await session.flush()


def visible_ids(org: str) -> Select:
    """Project ids a unit of `org` may see (its own or as a cross-department participant)."""
    return select(BudgetProjectOrg.project_id).where(BudgetProjectOrg.org == org)


async def list_projects(
    session: AsyncSession, *, org: str | None, status: str | None, after: str | None, limit: int
) -> list[BudgetProject]:
    stmt = select(BudgetProject).where(BudgetProject.org.is_not(None))
    if org is not None:
        stmt = stmt.where(BudgetProject.project_id.in_(visible_ids(org)))
    if status == "approved":
        stmt = stmt.where(
            BudgetProject.approved.is_(True),
            BudgetProject.settled.is_(False),
            BudgetProject.suspended.is_(False),
            BudgetProject.terminated.is_(False),
        )
    elif status == "suspended":
        stmt = stmt.where(BudgetProject.suspended.is_(True), BudgetProject.terminated.is_(False))
    elif status == "terminated":
        stmt = stmt.where(BudgetProject.terminated.is_(True))
    elif status == "settled":
        stmt = stmt.where(BudgetProject.settled.is_(True))
    elif status == "final_accepted":
        stmt = stmt.where(
            BudgetProject.final_accepted_on.is_not(None),
            BudgetProject.settled.is_(False),
            BudgetProject.terminated.is_(False),
        )
    elif status == "under_review":
        stmt = stmt.where(BudgetProject.approved.is_(False))
    if after:
        stmt = stmt.where(BudgetProject.project_id > after)
    stmt = stmt.order_by(BudgetProject.project_id).limit(limit + 1)
    return list((await session.scalars(stmt)).all())


async def warranty_ended_ids(session: AsyncSession, as_of) -> list[str]:
    """Finally accepted projects not yet settled whose warranty ended before `as_of` (R-27.1)."""
    stmt = (
        select(BudgetProject.project_id)
        .where(
            BudgetProject.final_accepted_on.is_not(None),
            BudgetProject.settled.is_(False),
            BudgetProject.terminated.is_(False),
            BudgetProject.warranty_ends_on < as_of,
        )
        .order_by(BudgetProject.project_id)
    )
    return list((await session.scalars(stmt)).all())


async def get_many(session: AsyncSession, project_ids: list[str]) -> dict[str, BudgetProject]:
    if not project_ids:
        return {}
    rows = await session.scalars(select(BudgetProject).where(BudgetProject.project_id.in_(project_ids)))
    return {p.project_id: p for p in rows}


async def lock_many(session: AsyncSession, project_ids: list[str]) -> dict[str, BudgetProject]:
    """The rows, locked in id order (PostgreSQL), so that two lockers never wait on each other."""
    if not project_ids:
        return {}
    stmt = select(BudgetProject).where(BudgetProject.project_id.in_(project_ids)).order_by(BudgetProject.project_id)
    if is_postgres(session):
        stmt = stmt.with_for_update()
    rows = await session.scalars(stmt.execution_options(populate_existing=True))
    return {p.project_id: p for p in rows}
