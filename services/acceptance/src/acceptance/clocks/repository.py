"""Every query of the acceptance clocks (X-30.1)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ..evaluations.models import Evaluation, PostEvaluationCommission
from ..projects.models import AcceptanceProject
from .models import ClockNotice

_N = aliased(ClockNotice)


async def notices(session: AsyncSession, project_ids: list[uuid.UUID]) -> set[tuple]:
    if not project_ids:
        return set()
    rows = await session.execute(
        select(ClockNotice.project_id, ClockNotice.clock, ClockNotice.ref, ClockNotice.role, ClockNotice.phase).where(
            ClockNotice.project_id.in_(project_ids)
        )
    )
    return {tuple(r) for r in rows}


def add(session: AsyncSession, row: ClockNotice) -> None:
    session.add(row)


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


async def pending(session: AsyncSession, *, role: str | None, org: str | None, limit: int) -> list[ClockNotice]:
    """Notices not yet cleared, for one acting party (a unit's org, a bureau's role, a third party's org)."""
    cleared = (
        select(ClockNotice.project_id)
        .where(
            ClockNotice.phase == "cleared",
            ClockNotice.project_id == _N.project_id,
            ClockNotice.clock == _N.clock,
            ClockNotice.ref == _N.ref,
            ClockNotice.role == _N.role,
        )
        .correlate(_N)
    )
    stmt = select(_N).where(_N.phase != "cleared", ~cleared.exists())
    if role is not None:
        stmt = stmt.where(_N.role == role)
    if org is not None:
        stmt = stmt.where(_N.org == org)
    return list((await session.scalars(stmt.order_by(_N.due_on, _N.project_id).limit(limit))).all())
