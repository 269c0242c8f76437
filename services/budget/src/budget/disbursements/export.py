"""资金台账 of one project as an Excel workbook (`GET /projects/{id}/ledger?format=xlsx`): every payment
with its year-to-date and cumulative sums, and the annual sums (R-26.1, R-27.1)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.excel import Column, SheetSpec, xlsx_response

from . import service as disbursements

CHANNEL_ZH = {"treasury_centralised": "国库集中支付"}

ENTRY_COLUMNS = [
    Column("序号", "n", "int", 6),
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
ANNUAL_COLUMNS = [
    Column("年度", "year", "int", 8),
    Column("本年支付（元）", "total", "money", 18),
    Column("累计支付（元）", "cumulative", "money", 18),
]


async def project_ledger(session: AsyncSession, principal: Principal, project_id: str, as_of: date):
    """One project's 资金台账: every payment (all pages) and the annual sums."""
    first = await disbursements.ledger(session, project_id, principal, as_of, None, 1)
    entries: list[dict] = []
    cursor = None
    while True:  # the ledger use case pages by 200; the export takes them all
        page = await disbursements.ledger(session, project_id, principal, as_of, cursor, 200)
        entries.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    rows = [{"n": i, **e} for i, e in enumerate(entries, 1)]
    approved = first["approved_investment"]
    title = (
        f"项目资金台账（批复投资 {approved if approved is not None else '—'} 元，已支付 {first['paid_total']} 元，"
        f"余额 {first['balance']} 元）"
    )
    return await xlsx_response(
        f"资金台账-{project_id}.xlsx",
        [
            SheetSpec("支付明细", ENTRY_COLUMNS, rows, title),
            SheetSpec("年度汇总", ANNUAL_COLUMNS, first["annual"], "年度支付汇总"),
        ],
        title=title,
    )
