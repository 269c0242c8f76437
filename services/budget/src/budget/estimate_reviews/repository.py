"""Every query of estimate reviews."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..projects.repository import visible_ids
from .models import EstimateReview


async def get_by_project(session: AsyncSession, project_id: str) -> EstimateReview | None:
    return (await session.scalars(select(EstimateReview).where(EstimateReview.project_id == project_id))).one_or_none()


async def add(session: AsyncSession, review: EstimateReview) -> EstimateReview:
    session.add(review)
    await session.flush()
    return review


async def list_reviews(
    session: AsyncSession,
    *,
    status: str | None,
    overdue_as_of: date | None,
    org: str | None,
    after: tuple[str, str] | None,
    limit: int,
) -> list[EstimateReview]:
    stmt = select(EstimateReview)
    if status:
        stmt = stmt.where(EstimateReview.status == status)
    if overdue_as_of is not None:
        stmt = stmt.where(EstimateReview.status == "open", EstimateReview.due_on < overdue_as_of)
    if org is not None:
        stmt = stmt.where(EstimateReview.project_id.in_(visible_ids(org)))
    if after:
        due, pid = after
        stmt = stmt.where(
            (EstimateReview.due_on > date.fromisoformat(due))
            | ((EstimateReview.due_on == date.fromisoformat(due)) & (EstimateReview.project_id > pid))
        )
    stmt = stmt.order_by(EstimateReview.due_on, EstimateReview.project_id).limit(limit + 1)
    return list((await session.scalars(stmt)).all())
