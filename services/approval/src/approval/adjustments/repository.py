from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres

from ..applications.models import Reapproval
from .models import Adjustment


async def self_adjusted_moved_fen(session: AsyncSession, project_id: str, baseline_id: str | None) -> int:
    """X-20.1: what the self-adjustments since the latest approval (the original, or the latest
    re-approval `baseline_id`) have moved."""
    stmt = select(func.coalesce(func.sum(Adjustment.amount_moved_fen), 0)).where(
        Adjustment.project_id == project_id, Adjustment.outcome == "self_adjusted"
    )
    stmt = stmt.where(
        Adjustment.baseline_id.is_(None) if baseline_id is None else Adjustment.baseline_id == baseline_id
    )
    return await session.scalar(stmt) or 0


async def list_for(session: AsyncSession, project_id: str) -> Sequence[Adjustment]:
    return (
        await session.scalars(
            select(Adjustment).where(Adjustment.project_id == project_id).order_by(Adjustment.created_at, Adjustment.id)
        )
    ).all()


async def get_adjustment(session: AsyncSession, adjustment_id: str) -> Adjustment | None:
    return await session.get(Adjustment, adjustment_id)


async def reapprovals_for(session: AsyncSession, project_id: str) -> Sequence[Reapproval]:
    return (
        await session.scalars(
            select(Reapproval).where(Reapproval.project_id == project_id).order_by(Reapproval.created_at, Reapproval.id)
        )
    ).all()


async def latest_approved_reapproval(session: AsyncSession, project_id: str) -> Reapproval | None:
    return (
        await session.scalars(
            select(Reapproval)
            .where(Reapproval.project_id == project_id, Reapproval.status == "approved")
            .order_by(Reapproval.created_at.desc(), Reapproval.id.desc())
        )
    ).first()


async def get_reapproval(
    session: AsyncSession, project_id: str, reapproval_id: str, *, for_update: bool = False
) -> Reapproval | None:
    stmt = select(Reapproval).where(Reapproval.id == reapproval_id, Reapproval.project_id == project_id)
    if for_update and is_postgres(session):
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


def add(session: AsyncSession, obj) -> None:
    session.add(obj)
