"""Every query of the ledger and of reconciliations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Disbursement, FundsReconciliation


async def add(session: AsyncSession, entry: Disbursement) -> Disbursement:
    session.add(entry)
    await session.flush()
    return entry


LEDGER_ORDER = (Disbursement.paid_on, Disbursement.seq)


async def ledger_page(
    session: AsyncSession, project_id: str, after_seq: int | None, limit: int
) -> list[tuple[Disbursement, int, int]]:
    """One page of the project's ledger in (paid_on, seq) order after the entry `after_seq`, each entry
    with its year-to-date and cumulative sums over the whole ledger (window functions: the page is cut
    in SQL, not in Python). Up to `limit` + 1 rows: the last one only says there are more."""
    mine = Disbursement.project_id == project_id
    running = (
        select(
            Disbursement.seq.label("seq"),
            func.sum(Disbursement.amount_fen)
            .over(partition_by=Disbursement.year, order_by=LEDGER_ORDER, rows=(None, 0))
            .label("year_to_date"),
            func.sum(Disbursement.amount_fen).over(order_by=LEDGER_ORDER, rows=(None, 0)).label("cumulative"),
        )
        .where(mine)
        .subquery()
    )
    stmt = (
        select(Disbursement, running.c.year_to_date, running.c.cumulative)
        .join(running, running.c.seq == Disbursement.seq)
        .order_by(*LEDGER_ORDER)
        .limit(limit + 1)
    )
    if after_seq is not None:
        cursor_on = (
            await session.execute(select(Disbursement.paid_on).where(mine, Disbursement.seq == after_seq))
        ).scalar_one_or_none()
        if cursor_on is None:  # an entry of another ledger, or none: nothing follows it here
            return []
        stmt = stmt.where(
            (Disbursement.paid_on > cursor_on) | ((Disbursement.paid_on == cursor_on) & (Disbursement.seq > after_seq))
        )
    return [(e, int(ytd), int(cum)) for e, ytd, cum in (await session.execute(stmt)).all()]


async def totals_by_year(session: AsyncSession, project_id: str) -> list[tuple[int, int]]:
    stmt = (
        select(Disbursement.year, func.sum(Disbursement.amount_fen))
        .where(Disbursement.project_id == project_id)
        .group_by(Disbursement.year)
        .order_by(Disbursement.year)
    )
    return [(year, int(total)) for year, total in (await session.execute(stmt)).all()]


async def sum_paid(
    session: AsyncSession, project_id: str, *, from_date: date | None = None, to_date: date | None = None
) -> int:
    stmt = select(func.coalesce(func.sum(Disbursement.amount_fen), 0)).where(Disbursement.project_id == project_id)
    if from_date is not None:
        stmt = stmt.where(Disbursement.paid_on >= from_date)
    if to_date is not None:
        stmt = stmt.where(Disbursement.paid_on <= to_date)
    return int(await session.scalar(stmt) or 0)


async def get_reconciliation(
    session: AsyncSession, project_id: str, year: int, quarter: int
) -> FundsReconciliation | None:
    stmt = select(FundsReconciliation).where(
        FundsReconciliation.project_id == project_id,
        FundsReconciliation.year == year,
        FundsReconciliation.quarter == quarter,
    )
    return (await session.scalars(stmt)).one_or_none()


async def add_reconciliation(session: AsyncSession, rec: FundsReconciliation) -> FundsReconciliation:
    session.add(rec)
    await session.flush()
    return rec


async def list_reconciliations(session: AsyncSession, project_id: str) -> list[FundsReconciliation]:
    stmt = (
        select(FundsReconciliation)
        .where(FundsReconciliation.project_id == project_id)
        .order_by(FundsReconciliation.year, FundsReconciliation.quarter)
    )
    return list((await session.scalars(stmt)).all())


async def paid_by_contract(session: AsyncSession, project_id: str) -> dict[str | None, int]:
    """Sums paid per contract (None: payments recorded before payments named their contract)."""
    stmt = (
        select(Disbursement.contract_id, func.coalesce(func.sum(Disbursement.amount_fen), 0))
        .where(Disbursement.project_id == project_id)
        .group_by(Disbursement.contract_id)
    )
    return {cid: int(total) for cid, total in (await session.execute(stmt)).all()}


async def paid_by_year(session: AsyncSession, project_id: str) -> dict[int, int]:
    stmt = (
        select(Disbursement.year, func.coalesce(func.sum(Disbursement.amount_fen), 0))
        .where(Disbursement.project_id == project_id)
        .group_by(Disbursement.year)
    )
    return {int(y): int(total) for y, total in (await session.execute(stmt)).all()}


async def paid_in_year_by_project(session: AsyncSession, year: int, project_ids: list[str]) -> dict[str, int]:
    if not project_ids:
        return {}
    stmt = (
        select(Disbursement.project_id, func.coalesce(func.sum(Disbursement.amount_fen), 0))
        .where(Disbursement.year == year, Disbursement.project_id.in_(project_ids))
        .group_by(Disbursement.project_id)
    )
    return {pid: int(total) for pid, total in (await session.execute(stmt)).all()}


async def paid_by_project_year(session: AsyncSession, project_ids: list[str]) -> dict[str, dict[int, int]]:
    if not project_ids:
        return {}
    stmt = (
        select(Disbursement.project_id, Disbursement.year, func.coalesce(func.sum(Disbursement.amount_fen), 0))
        .where(Disbursement.project_id.in_(project_ids))
        .group_by(Disbursement.project_id, Disbursement.year)
    )
    out: dict[str, dict[int, int]] = {}
    for pid, year, total in (await session.execute(stmt)).all():
        out.setdefault(pid, {})[int(year)] = int(total)
    return out
