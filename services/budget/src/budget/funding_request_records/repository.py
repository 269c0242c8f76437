"""Every query of funding requests."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres

from ..projects.repository import visible_ids
from .models import FundingRequest


async def get(session: AsyncSession, request_id: str, *, lock: bool = False) -> FundingRequest | None:
    stmt = select(FundingRequest).where(FundingRequest.id == request_id)
    if lock and is_postgres(session):
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt.execution_options(populate_existing=True))).one_or_none()


async def add(session: AsyncSession, row: FundingRequest) -> FundingRequest:
    session.add(row)
    await session.flush()
    return row


async def for_project(session: AsyncSession, project_id: str) -> list[FundingRequest]:
    stmt = select(FundingRequest).where(FundingRequest.project_id == project_id).order_by(FundingRequest.seq)
    return list((await session.scalars(stmt)).all())


async def outstanding_confirmed_fen(
    session: AsyncSession, project_id: str, year: int | None = None, exclude: str | None = None
) -> int:
    """Confirmed requests' unpaid remainders (of `year` when given)."""
    stmt = select(func.coalesce(func.sum(FundingRequest.amount_fen - FundingRequest.consumed_fen), 0)).where(
        FundingRequest.project_id == project_id, FundingRequest.status == "confirmed"
    )
    if year is not None:
        stmt = stmt.where(FundingRequest.year == year)
    if exclude is not None:
        stmt = stmt.where(FundingRequest.id != exclude)
    return int(await session.scalar(stmt) or 0)


async def open_on_contract_fen(session: AsyncSession, contract_id: str) -> int:
    """Submitted or confirmed requests on a contract, not yet paid."""
    stmt = select(func.coalesce(func.sum(FundingRequest.amount_fen - FundingRequest.consumed_fen), 0)).where(
        FundingRequest.contract_id == contract_id, FundingRequest.status.in_(("submitted", "confirmed"))
    )
    return int(await session.scalar(stmt) or 0)


async def list_requests(
    session: AsyncSession,
    *,
    project_id: str | None,
    org: str | None,
    status: str | None,
    year: int | None,
    after: int | None,
    limit: int,
) -> list[FundingRequest]:
    stmt = select(FundingRequest)
    if project_id is not None:
        stmt = stmt.where(FundingRequest.project_id == project_id)
    if org is not None:
        stmt = stmt.where(FundingRequest.project_id.in_(visible_ids(org)))
    if status is not None:
        stmt = stmt.where(FundingRequest.status == status)
    if year is not None:
        stmt = stmt.where(FundingRequest.year == year)
    if after is not None:
        stmt = stmt.where(FundingRequest.seq > after)
    return list((await session.scalars(stmt.order_by(FundingRequest.seq).limit(limit + 1))).all())


async def outstanding_by_project(session: AsyncSession, year: int, project_ids: list[str]) -> dict[str, int]:
    if not project_ids:
        return {}
    stmt = (
        select(
            FundingRequest.project_id,
            func.coalesce(func.sum(FundingRequest.amount_fen - FundingRequest.consumed_fen), 0),
        )
        .where(
            FundingRequest.year == year,
            FundingRequest.status == "confirmed",
            FundingRequest.project_id.in_(project_ids),
        )
        .group_by(FundingRequest.project_id)
    )
    return {pid: int(total) for pid, total in (await session.execute(stmt)).all()}
