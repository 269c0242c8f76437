"""Every query of the acceptance clocks (X-30.1)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..evaluations.models import Evaluation, PostEvaluationCommission
from ..projects.models import AcceptanceProject


async def candidates(
    session: AsyncSession, *, as_of: date, lead_days: int, after: uuid.UUID | None, limit: int
) -> list[AcceptanceProject]:
    """Projects with a clock that may be approaching or overdue on `as_of`."""
    horizon = as_of + timedelta(days=lead_days)
    stmt = select(AcceptanceProject).where(
        AcceptanceProject.path.is_not(None),
        AcceptanceProject.status != "terminated",
        or_(
            and_(AcceptanceProject.stage != "final_accepted", AcceptanceProject.due_on <= horizon),
            AcceptanceProject.self_evaluation_opens_on <= as_of,
            AcceptanceProject.warranty_ends_on <= horizon,
        ),
    )
    if after is not None:
        stmt = stmt.where(AcceptanceProject.project_id > after)
    return list((await session.scalars(stmt.order_by(AcceptanceProject.project_id).limit(limit))).all())


async def self_evaluated(session: AsyncSession, project_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    if not project_ids:
        return set()
    rows = await session.scalars(
        select(Evaluation.project_id).where(Evaluation.kind == "self", Evaluation.project_id.in_(project_ids))
    )
    return set(rows)


async def open_commissions(session: AsyncSession, *, as_of: date, lead_days: int) -> list[PostEvaluationCommission]:
    horizon = as_of + timedelta(days=lead_days)
    stmt = (
        select(PostEvaluationCommission)
        .where(PostEvaluationCommission.status == "open", PostEvaluationCommission.due_on <= horizon)
        .order_by(PostEvaluationCommission.due_on, PostEvaluationCommission.id)
    )
    return list((await session.scalars(stmt)).all())
