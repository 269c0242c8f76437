"""Excel exports of budget: 资金台账 of every payment of every visible project, with each payment's
year-to-date and cumulative sums (R-26.1, R-27.1); one project's ledger is `disbursements.export`, the
funding plan `funding_plans.export`."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.excel import Column, SheetSpec, xlsx_response
from govkit.money import from_fen

from ..disbursements.export import CHANNEL_ZH
from . import repository

LEDGER_COLUMNS = [
    Column("项目名称", "title", width=36),
    Column("项目代码", "project_code", width=26),
    Column("建设单位", "org", width=16),
    Column("批复投资（元）", "approved", "money", 16),
    Column("支付日期", "paid_on", "date", 12),
    Column("年度", "year", "int", 8),
    Column("用途", "purpose", width=30),
    Column("收款人", "payee", width=20),
    Column("凭证号", "voucher_no", width=16),
    Column("支付金额（元）", "amount", "money", 16),
    Column("本年累计（元）", "year_to_date", "money", 16),
    Column("累计支付（元）", "cumulative", "money", 16),
    Column("支付方式", lambda r: CHANNEL_ZH.get(r["payment_channel"], r["payment_channel"]), width=14),
]


async def ledger_rows(
    session: AsyncSession, principal: Principal, *, year: int | None, org: str | None
) -> AsyncIterator[dict]:
    """Each payment in ledger order with its project's running sums (this year, since the start);
    the sums of every project seen so far are kept (a few integers per project)."""
    sums: dict[str, tuple[int, dict[int, int]]] = {}
    async for r in repository.stream_payments(
        session, org=org, visible_to_org=None if principal.citywide else principal.org, until_year=year
    ):
        cumulative, years = sums.get(r.project_id, (0, {}))
        cumulative += r.amount_fen
        years[r.year] = years.get(r.year, 0) + r.amount_fen
        sums[r.project_id] = (cumulative, years)
        if year is not None and r.year != year:
            continue  # earlier years count in the sums, but are not listed
        yield {
            "title": r.title,
            "project_code": r.project_code,
            "org": r.org,
            "approved": None if r.approved_investment_fen is None else from_fen(r.approved_investment_fen),
            "paid_on": r.paid_on,
            "year": r.year,
            "purpose": r.purpose,
            "payee": r.payee,
            "voucher_no": r.voucher_no,
            "amount": from_fen(r.amount_fen),
            "year_to_date": from_fen(years[r.year]),
            "cumulative": from_fen(cumulative),
            "payment_channel": r.payment_channel,
        }


async def citywide_ledger(session: AsyncSession, principal: Principal, *, year: int | None, org: str | None):
    """资金台账 of every project the caller may see (a unit: its own)."""
    label = f"{year}年度" if year else "全部年度"
    return await xlsx_response(
        f"资金台账-{label}.xlsx",
        SheetSpec("资金台账", LEDGER_COLUMNS, ledger_rows(session, principal, year=year, org=org)),
        title=f"政务信息化项目资金台账（{label}，国库集中支付）",
    )
