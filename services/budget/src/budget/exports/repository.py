"""Queries of the budget exports: every payment with its project, streamed in ledger order."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.excel import keyset_stream

from ..disbursement_records.models import Disbursement
from ..projects.models import BudgetProject, BudgetProjectOrg


async def stream_payments(
    session: AsyncSession, *, org: str | None, visible_to_org: str | None, until_year: int | None, batch: int = 2000
):
    """Payments in the order they were recorded (seq: the ledger's own order, its primary key);
    up to `until_year` inclusive (the earlier years count in the cumulative sums)."""
    stmt = select(
        Disbursement.seq,
        Disbursement.project_id,
        Disbursement.amount_fen,
        Disbursement.purpose,
        Disbursement.paid_on,
        Disbursement.year,
        Disbursement.payee,
        Disbursement.voucher_no,
        Disbursement.payment_channel,
        BudgetProject.title,
        BudgetProject.org,
        BudgetProject.project_code,
        BudgetProject.approved_investment_fen,
    ).join(BudgetProject, BudgetProject.project_id == Disbursement.project_id)
    if org is not None:
        stmt = stmt.where(BudgetProject.org == org)
    if visible_to_org is not None:
        seen = select(BudgetProjectOrg.project_id).where(BudgetProjectOrg.org == visible_to_org)
        stmt = stmt.where(Disbursement.project_id.in_(seen))
    if until_year is not None:
        stmt = stmt.where(Disbursement.year <= until_year)
    async for row in keyset_stream(session, stmt, [Disbursement.seq], lambda r: (r.seq,), batch=batch):
        yield row
