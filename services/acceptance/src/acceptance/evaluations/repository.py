"""Every query of evaluations, and the self-evaluation clock (R-24.1)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..projects.models import AcceptanceProject
from ..projects.repository import visible_to
from .models import Evaluation, EvaluationOpinion, PostEvaluationCommission


def add(session: AsyncSession, row: Evaluation) -> None:
    session.add(row)


async def for_project(session: AsyncSession, project_id: uuid.UUID) -> list[Evaluation]:
    stmt = select(Evaluation).where(Evaluation.project_id == project_id).order_by(Evaluation.created_at)
    return list((await session.scalars(stmt)).all())


async def of_kind(session: AsyncSession, project_id: uuid.UUID, kind: str) -> Evaluation | None:
    stmt = select(Evaluation).where(Evaluation.project_id == project_id, Evaluation.kind == kind)
    return (await session.scalars(stmt)).one_or_none()


async def self_evaluations_due(
    session: AsyncSession, *, as_of: date, overdue_only: bool, unit_org: str | None, after: list | None, limit: int
) -> list[AcceptanceProject]:
    """Finally accepted projects whose window has opened by `as_of` and whose self-evaluation is
    not yet submitted (inside the window: due; past it: overdue)."""
    submitted = select(Evaluation.project_id).where(
        Evaluation.kind == "self", Evaluation.project_id == AcceptanceProject.project_id
    )
    stmt = select(AcceptanceProject).where(
        AcceptanceProject.stage == "final_accepted",
        AcceptanceProject.self_evaluation_opens_on <= as_of,
        ~submitted.exists(),
    )
    if overdue_only:
        stmt = stmt.where(AcceptanceProject.self_evaluation_closes_on < as_of)
    if unit_org:
        stmt = stmt.where(visible_to(unit_org))
    if after:
        opens, pid = date.fromisoformat(after[0]), uuid.UUID(after[1])
        stmt = stmt.where(
            or_(
                AcceptanceProject.self_evaluation_opens_on > opens,
                and_(AcceptanceProject.self_evaluation_opens_on == opens, AcceptanceProject.project_id > pid),
            )
        )
    stmt = stmt.order_by(AcceptanceProject.self_evaluation_opens_on, AcceptanceProject.project_id).limit(limit)
    return list((await session.scalars(stmt)).all())


async def commissions(session: AsyncSession, project_id: uuid.UUID) -> list[PostEvaluationCommission]:
    stmt = (
        select(PostEvaluationCommission)
        .where(PostEvaluationCommission.project_id == project_id)
        .order_by(PostEvaluationCommission.created_at, PostEvaluationCommission.id)
    )
    return list((await session.scalars(stmt)).all())


async def get(session: AsyncSession, evaluation_id: uuid.UUID) -> Evaluation | None:
    return await session.get(Evaluation, evaluation_id)


async def get_opinion(
    session: AsyncSession, opinion_id: uuid.UUID, *, for_update: bool = False
) -> EvaluationOpinion | None:
    stmt = select(EvaluationOpinion).where(EvaluationOpinion.id == opinion_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def opinions_for_project(session: AsyncSession, project_id: uuid.UUID) -> list[EvaluationOpinion]:
    stmt = (
        select(EvaluationOpinion)
        .where(EvaluationOpinion.project_id == project_id)
        .order_by(EvaluationOpinion.created_at, EvaluationOpinion.id)
    )
    return list((await session.scalars(stmt)).all())


async def for_org(session: AsyncSession, org: str, limit: int = 500) -> list[tuple[Evaluation, AcceptanceProject]]:
    """Every evaluation of the unit's projects (its own, or where it takes part), newest first."""
    stmt = (
        select(Evaluation, AcceptanceProject)
        .join(AcceptanceProject, AcceptanceProject.project_id == Evaluation.project_id)
        .where(visible_to(org))
        .order_by(Evaluation.evaluated_on.desc(), Evaluation.id)
        .limit(limit)
    )
    return [(e, p) for e, p in (await session.execute(stmt)).all()]


async def opinions_of_org(session: AsyncSession, org: str, limit: int = 500) -> list[EvaluationOpinion]:
    stmt = (
        select(EvaluationOpinion)
        .where(EvaluationOpinion.org == org)
        .order_by(EvaluationOpinion.created_at.desc(), EvaluationOpinion.id)
        .limit(limit)
    )
    return list((await session.scalars(stmt)).all())
