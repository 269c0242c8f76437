"""Excel exports of budget: 资金台账 — one project's ledger, or every payment of every visible
project — with each payment's year-to-date and cumulative sums and the annual sums (R-26.1, R-27.1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.excel import Column, SheetSpec, xlsx_response
from govkit.money import from_fen

from ..disbursements import service as disbursements
from . import repository

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


PLAN_COLUMNS = [
    Column("序号", "n", "int", 6),
    Column("项目名称", "title", width=36),
    Column("建设单位", "org", width=16),
    Column("本年度计划拨付（元）", "amount", "money", 20),
    Column("本年已拨付（元）", "paid_in_year", "money", 18),
    Column("已确认待拨付（元）", "confirmed_outstanding", "money", 18),
    Column("计划余额（元）", "available", "money", 18),
    Column("自第几版起", "since_version", "int", 10),
    Column("项目标识", "project_id", width=38),
]


async def funding_plan(session: AsyncSession, principal: Principal, year: int):
    """资金计划 (R-4.2): the current version's lines as `GET /funding-plans/{year}` shows them, with a total."""
    from ..funding_plans import service as plans

    plan = await plans.plan_read(session, year, principal)
    rows = [{"n": i, **line} for i, line in enumerate(plan["lines"], 1)]
    total = {
        k: sum((r[k] for r in rows), start=from_fen(0))
        for k in ("amount", "paid_in_year", "confirmed_outstanding", "available")
    }
    rows.append(
        {
            "n": None,
            "title": f"合计（{len(plan['lines'])} 个项目）",
            "org": None,
            "since_version": None,
            "project_id": None,
            **total,
        }
    )
    return await xlsx_response(
        f"{year}年度资金计划-第{plan['version']}版.xlsx",
        SheetSpec("资金计划", PLAN_COLUMNS, rows),
        title=f"{year}年度市级政务信息化项目资金计划（第 {plan['version']} 版，第四条）",
    )
