"""Every query of O&M funding decisions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..projects.models import BudgetProject
from ..projects.repository import visible_ids
from .models import OperationFundingDecision


async def get(session: AsyncSession, project_id: str, year: int) -> OperationFundingDecision | None:
    stmt = select(OperationFundingDecision).where(
        OperationFundingDecision.project_id == project_id, OperationFundingDecision.year == year
    )
    return (await session.scalars(stmt)).one_or_none()


async def add(session: AsyncSession, row: OperationFundingDecision) -> OperationFundingDecision:
    session.add(row)
    await session.flush()
    return row


async def list_decisions(
    session: AsyncSession,
    *,
    year: int | None,
    decision: str | None,
    org: str | None,
    after: tuple[int, str] | None,
    limit: int,
) -> list[tuple[OperationFundingDecision, BudgetProject | None]]:
    stmt = select(OperationFundingDecision, BudgetProject).join(
        BudgetProject, BudgetProject.project_id == OperationFundingDecision.project_id, isouter=True
    )
    if year is not None:
        stmt = stmt.where(OperationFundingDecision.year == year)
    if decision is not None:
        stmt = stmt.where(OperationFundingDecision.decision == decision)
    if org is not None:
        stmt = stmt.where(OperationFundingDecision.project_id.in_(visible_ids(org)))
    if after:
        y, pid = after
        stmt = stmt.where(
            (OperationFundingDecision.year > y)
            | ((OperationFundingDecision.year == y) & (OperationFundingDecision.project_id > pid))
        )
    stmt = stmt.order_by(OperationFundingDecision.year, OperationFundingDecision.project_id).limit(limit + 1)
    return [(d, p) for d, p in (await session.execute(stmt)).all()]
