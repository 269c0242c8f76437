"""Every query of declarations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres

from .models import Declaration, DeclarationCounter, DeclarationOrg


async def next_seq(session: AsyncSession, library_year: int) -> int:
    """The next SB-<year>-<seq> number: the year's counter row, locked FOR UPDATE on PostgreSQL
    (SQLite serialises writers at BEGIN IMMEDIATE)."""
    pg = is_postgres(session)
    if pg:
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    await session.execute(
        insert(DeclarationCounter)
        .values(library_year=library_year, last_seq=0)
        .on_conflict_do_nothing(index_elements=["library_year"])
    )
    stmt = select(DeclarationCounter).where(DeclarationCounter.library_year == library_year)
    if pg:
        stmt = stmt.with_for_update()
    counter = (await session.scalars(stmt.execution_options(populate_existing=True))).one()
    counter.last_seq += 1
    await session.flush()
    return counter.last_seq


async def add(session: AsyncSession, decl: Declaration) -> Declaration:
    session.add(decl)
    await session.flush()
    session.add(DeclarationOrg(project_id=decl.project_id, org=decl.org, role="lead"))
    for org in decl.participant_orgs or []:
        session.add(DeclarationOrg(project_id=decl.project_id, org=org, role="participant"))
    await session.flush()
    return decl


async def get(session: AsyncSession, project_id: str, *, lock: bool = False) -> Declaration | None:
    stmt = select(Declaration).where(Declaration.project_id == project_id)
    if lock and is_postgres(session):
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt.execution_options(populate_existing=lock))).one_or_none()


def _visible_to(org: str):
    return exists().where(DeclarationOrg.project_id == Declaration.project_id, DeclarationOrg.org == org)


async def listing(
    session: AsyncSession,
    *,
    visible_org: str | None,
    library_year: int | None,
    status: str | None,
    org: str | None,
    category: str | None,
    route: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
    plan_item: str | None = None,
) -> list[Declaration]:
    stmt = select(Declaration)
    if visible_org is not None:
        stmt = stmt.where(_visible_to(visible_org))
    if org is not None:
        stmt = stmt.where(_visible_to(org))
    if library_year is not None:
        stmt = stmt.where(Declaration.library_year == library_year)
    if status is not None:
        stmt = stmt.where(Declaration.status == status)
    if category is not None:
        stmt = stmt.where(Declaration.category == category)
    if route is not None:
        stmt = stmt.where(Declaration.route == route)
    if plan_item is not None:
        stmt = stmt.where(Declaration.plan_item == plan_item)
    if after is not None:
        created, pid = after
        stmt = stmt.where(
            (Declaration.created_at > created) | ((Declaration.created_at == created) & (Declaration.project_id > pid))
        )
    stmt = stmt.order_by(Declaration.created_at, Declaration.project_id).limit(limit + 1)
    return list((await session.scalars(stmt)).all())


async def of_orgs_years(session: AsyncSession, pairs: Iterable[tuple[str, int]]) -> list[Declaration]:
    """Every declaration of the given (org, library_year) pairs (for X-11.1)."""
    pairs = set(pairs)
    if not pairs:
        return []
    orgs = {o for o, _ in pairs}
    years = {y for _, y in pairs}
    stmt = select(Declaration).where(Declaration.org.in_(orgs), Declaration.library_year.in_(years))
    return [d for d in (await session.scalars(stmt)).all() if (d.org, d.library_year) in pairs]


async def of_year(
    session: AsyncSession, library_year: int, statuses: Iterable[str] | None = None, *, lock: bool = False
) -> list[Declaration]:
    stmt = select(Declaration).where(Declaration.library_year == library_year)
    if statuses is not None:
        stmt = stmt.where(Declaration.status.in_(list(statuses)))
    if lock and is_postgres(session):
        stmt = stmt.with_for_update()
    stmt = stmt.order_by(Declaration.declaration_no)
    return list((await session.scalars(stmt)).all())


async def submitted_in(
    session: AsyncSession, library_year: int, window_kind: str, *, lock: bool = False
) -> list[Declaration]:
    """Submitted declarations of the year that came in through a window of `window_kind`
    (annual: compiled by bdb, R-8.1; supplement: only through the consultation, R-9.1)."""
    from ..windows.models import Window

    stmt = (
        select(Declaration)
        .join(Window, Window.id == Declaration.window_id)
        .where(Declaration.library_year == library_year, Declaration.status == "submitted", Window.kind == window_kind)
    )
    if lock and is_postgres(session):
        stmt = stmt.with_for_update(of=Declaration)
    return list((await session.scalars(stmt.order_by(Declaration.declaration_no))).all())


async def awaiting(session: AsyncSession, visible_org: str | None) -> list[Declaration]:
    stmt = select(Declaration).where(Declaration.status.in_(["submitted", "awaiting_consultation"]))
    if visible_org is not None:
        stmt = stmt.where(_visible_to(visible_org))
    return list((await session.scalars(stmt.order_by(Declaration.created_at, Declaration.project_id))).all())
