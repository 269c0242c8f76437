"""Every query of the read model."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, tuple_, union
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres
from govkit.excel import keyset_stream

from . import search
from .models import ProjectParticipant, ProjectView, TimelineEntry


def _filtered(
    stmt,
    *,
    status: str | None,
    org: str | None,
    library_year: int | None,
    q: str | None = None,
    dialect: str = "sqlite",
):
    if q is not None:
        stmt = stmt.where(search.condition(q, dialect))
    if status is not None:
        stmt = stmt.where(ProjectView.status == status)
    if org is not None:
        stmt = stmt.where(ProjectView.org == org)
    if library_year is not None:
        stmt = stmt.where(ProjectView.library_year == library_year)
    return stmt


async def list_views(
    session: AsyncSession,
    *,
    status: str | None,
    org: str | None,
    library_year: int | None,
    visible_to_org: str | None,
    after: uuid.UUID | None,
    limit: int,
    q: str | None = None,
) -> Sequence:
    """Keyset page in project_id order; each filter has a composite index ending in project_id.
    Plain rows (no ORM identity map): the list is read-only and this is its hot path.

    A unit sees its own projects and those it takes part in: two keyset branches (the org index,
    the participants' primary key), each limited, then merged — never an OR that defeats the index."""
    filters = dict(
        status=status,
        org=org,
        library_year=library_year,
        q=q,
        dialect="postgresql" if is_postgres(session) else "sqlite",
    )
    if visible_to_org is None:
        stmt = _filtered(select(*ProjectView.__table__.c), **filters)
        if after is not None:
            stmt = stmt.where(ProjectView.project_id > after)
        return (await session.execute(stmt.order_by(ProjectView.project_id).limit(limit + 1))).all()
    own = _filtered(select(ProjectView.project_id).where(ProjectView.org == visible_to_org), **filters)
    joint = _filtered(
        select(ProjectView.project_id)
        .join(ProjectParticipant, ProjectParticipant.project_id == ProjectView.project_id)
        .where(ProjectParticipant.org == visible_to_org),
        **filters,
    )
    if after is not None:
        own = own.where(ProjectView.project_id > after)
        joint = joint.where(ProjectParticipant.project_id > after)
    own = own.order_by(ProjectView.project_id).limit(limit + 1).subquery()
    joint = joint.order_by(ProjectParticipant.project_id).limit(limit + 1).subquery()
    ids = union(select(own.c.project_id), select(joint.c.project_id)).subquery()
    stmt = (
        select(*ProjectView.__table__.c)
        .where(ProjectView.project_id.in_(select(ids.c.project_id)))
        .order_by(ProjectView.project_id)
        .limit(limit + 1)
    )
    return (await session.execute(stmt)).all()


def _visible(stmt, visible_to_org: str | None):
    if visible_to_org is None:
        return stmt
    joint = select(ProjectParticipant.project_id).where(ProjectParticipant.org == visible_to_org)
    return stmt.where((ProjectView.org == visible_to_org) | ProjectView.project_id.in_(joint))


async def count_views_matching(
    session: AsyncSession,
    *,
    status: str | None,
    org: str | None,
    library_year: int | None,
    q: str | None,
    visible_to_org: str | None,
    cap: int,
) -> int:
    """How many projects match (the search's total), counting at most `cap` + 1."""
    stmt = _filtered(
        select(ProjectView.project_id),
        status=status,
        org=org,
        library_year=library_year,
        q=q,
        dialect="postgresql" if is_postgres(session) else "sqlite",
    )
    inner = _visible(stmt, visible_to_org).limit(cap + 1).subquery()
    return await session.scalar(select(func.count()).select_from(inner)) or 0


async def stream_views(
    session: AsyncSession,
    *,
    status: str | None,
    org: str | None,
    library_year: int | None,
    q: str | None,
    visible_to_org: str | None,
    batch: int = 2000,
):
    """Every matching row in project_id order, `batch` rows per query: the exports read a million
    rows without holding them."""
    stmt = _filtered(
        select(*ProjectView.__table__.c),
        status=status,
        org=org,
        library_year=library_year,
        q=q,
        dialect="postgresql" if is_postgres(session) else "sqlite",
    )
    async for row in keyset_stream(
        session, _visible(stmt, visible_to_org), [ProjectView.project_id], lambda r: (r.project_id,), batch=batch
    ):
        yield row


async def get_view(session: AsyncSession, project_id: uuid.UUID) -> ProjectView | None:
    return await session.get(ProjectView, project_id)


def _order():
    return (TimelineEntry.time, TimelineEntry.service, func.coalesce(TimelineEntry.seq, 0), TimelineEntry.event_id)


async def timeline(
    session: AsyncSession, project_id: uuid.UUID, after: tuple | None, limit: int
) -> Sequence[TimelineEntry]:
    stmt = select(TimelineEntry).where(TimelineEntry.project_id == project_id)
    if after is not None:
        stmt = stmt.where(tuple_(*_order()) > tuple_(*after))
    return (await session.scalars(stmt.order_by(*_order()).limit(limit + 1))).all()


async def clear(session: AsyncSession) -> None:
    for table in (TimelineEntry, ProjectParticipant, ProjectView):
        await session.execute(delete(table))


async def count_views(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(ProjectView)) or 0


def timeline_after(values: list) -> tuple:
    return (datetime.fromisoformat(values[0]), values[1], int(values[2]), values[3])
