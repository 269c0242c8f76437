"""The aggregate queries of the read model: one GROUP BY per aggregate, no paging."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from sqlalchemy import and_, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.excel import keyset_stream

from ..projects import rating
from ..projects.models import ProjectParticipant, ProjectView

V = ProjectView


def _scope(stmt, *, visible_to_org: str | None, org: str | None, library_year: int | None):
    if visible_to_org is not None:  # a unit: its own projects and those it takes part in
        joint = select(ProjectParticipant.project_id).where(ProjectParticipant.org == visible_to_org)
        stmt = stmt.where((V.org == visible_to_org) | V.project_id.in_(joint))
    if org is not None:
        stmt = stmt.where(V.org == org)
    if library_year is not None:
        stmt = stmt.where(V.library_year == library_year)
    return stmt


def _sums():
    return (
        func.count().label("projects"),
        func.coalesce(func.sum(V.estimated_investment), 0).label("estimated_investment"),
        func.coalesce(func.sum(V.approved_investment), 0).label("approved_investment"),
        func.coalesce(func.sum(func.coalesce(V.approved_investment, V.estimated_investment)), 0).label("investment"),
        func.coalesce(func.sum(V.paid_total), 0).label("paid_total"),
    )


async def grouped(session: AsyncSession, keys: Sequence, **scope) -> Sequence:
    """Counts and amounts grouped by `keys` (no keys: one row of totals)."""
    stmt = _scope(select(*keys, *_sums()), **scope)
    if keys:
        stmt = stmt.group_by(*keys).order_by(*keys)
    return (await session.execute(stmt)).all()


# Only these columns decide the RAG status (oversight.projects.rating).
RATING_COLUMNS = (V.project_id, *(getattr(V, f) for f in rating.FIELDS))


def _plainly_green():
    """Rows no rating rule can make amber or red: never approved (no reports due, no spending
    against an approved amount, no schedule), no sanction, rectification, finding or funds mismatch."""
    return and_(
        V.approved_on.is_(None),
        V.approved_investment.is_(None),
        not_(V.terminated),
        not_(V.suspended),
        not_(V.funds_mismatch),
        V.findings == 0,
        V.rectifications_total == 0,
    )


async def count_plainly_green(session: AsyncSession, **scope) -> int:
    stmt = _scope(select(func.count()).select_from(V).where(_plainly_green()), **scope)
    return await session.scalar(stmt) or 0


async def stream_to_rate(session: AsyncSession, *, batch: int = 5000, **scope) -> AsyncIterator:
    """The rating columns of every other row, `batch` rows per query (constant memory)."""
    stmt = _scope(select(*RATING_COLUMNS).where(not_(_plainly_green())), **scope)
    async for row in keyset_stream(session, stmt, [V.project_id], lambda r: (r.project_id,), batch=batch):
        yield row
