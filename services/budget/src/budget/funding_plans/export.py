"""资金计划 (R-4.2) as an Excel workbook (`GET /funding-plans/{year}?format=xlsx`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.excel import Column, SheetSpec, xlsx_response
from govkit.money import from_fen

from . import service as plans

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
