"""项目台账: the project list as an Excel workbook (`GET /projects?format=xlsx`), every project the
filters match, the columns as the list shows them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.excel import Column, SheetSpec, xlsx_response

from . import rating, search
from . import repository as projects_repo
from .projection import STATUSES
from .service import balance_of

STATUS_ZH = {
    "declared": "已申报",
    "admitted": "已入库",
    "awaiting_consultation": "待会商",
    "refused": "未入库",
    "emergency": "应急项目",
    "under_review": "审核中",
    "rejected": "未批准",
    "approved": "已批复",
    "in_construction": "建设中",
    "in_acceptance": "验收中",
    "final_accepted": "已终验",
    "suspended": "暂停建设",
    "terminated": "已终止",
    "unknown": "未知",
}
RATING_ZH = {"green": "绿", "amber": "黄", "red": "红"}
STAGE_ZH = {
    "construction": "建设",
    "preliminary_accepted": "已初验",
    "trial_operation": "试运行",
    "final_applied": "已申请终验",
    "final_accepted": "已终验",
}


PROJECT_COLUMNS = [
    Column("项目名称", "title", width=36),
    Column("申报编号", "declaration_no", width=16),
    Column("项目代码", "project_code", width=26),
    Column("建设单位", "org", width=16),
    Column("库年度", "library_year", "int", 8),
    Column("状态", "status", width=10),
    Column("红黄绿灯", "rating", width=8),
    Column("原因", "reasons", width=40),
    Column("申报投资（元）", "estimated_investment", "money", 16),
    Column("评审核定（元）", "reviewed_amount", "money", 16),
    Column("批复投资（元）", "approved_investment", "money", 16),
    Column("已拨付（元）", "paid_total", "money", 16),
    Column("余额（元）", "balance", "money", 16),
    Column("开发进度", "development_progress_pct", "pct", 10),
    Column("最近报送季度", "last_report", width=12),
    Column("验收阶段", "acceptance_stage", width=12),
    Column("申报日期", "declared_on", "date", 12),
    Column("批复日期", "approved_on", "date", 12),
    Column("计划完成日期", "planned_completion_on", "date", 12),
    Column("终验日期", "final_accepted_on", "date", 12),
    Column("未完成整改", "open_rectifications", "int", 10),
    Column("暂停建设", "suspended", "bool", 10),
]


# What 项目台账 reads of each row: its own columns and what the rating needs.
LEDGER_FIELDS = (
    "title",
    "declaration_no",
    "project_code",
    "org",
    "library_year",
    "status",
    "estimated_investment",
    "reviewed_amount",
    "last_report",
    "acceptance_stage",
    *rating.FIELDS,
)


def ledger_row(v, as_of: date) -> dict:
    """One row of 项目台账: the figures the project list shows (`to_out`: the same rating, reasons
    and money), only those the sheet has, with the numbers left as numbers (no text round trip)."""
    grade, reasons, _ = rating.rate(v, as_of)
    paid = v.paid_total or Decimal(0)
    return {
        "title": v.title,
        "declaration_no": v.declaration_no,
        "project_code": v.project_code,
        "org": v.org,
        "library_year": v.library_year,
        "status": STATUS_ZH.get(v.status, v.status),
        "rating": RATING_ZH.get(grade, grade),
        "reasons": "；".join(x["message"] for x in reasons),
        "estimated_investment": v.estimated_investment,
        "reviewed_amount": v.reviewed_amount,
        "approved_investment": v.approved_investment,
        "paid_total": paid,
        "balance": balance_of(v.approved_investment, paid),
        "development_progress_pct": v.development_progress_pct,
        "last_report": v.last_report,
        "acceptance_stage": STAGE_ZH.get(v.acceptance_stage, v.acceptance_stage),
        "declared_on": v.declared_on,
        "approved_on": v.approved_on,
        "planned_completion_on": v.planned_completion_on,
        "final_accepted_on": v.final_accepted_on,
        "open_rectifications": len(v.open_rectifications or {}),
        "suspended": v.suspended,
    }


async def project_ledger(
    session: AsyncSession,
    principal: Principal,
    *,
    status: str | None,
    org: str | None,
    library_year: int | None,
    q: str | None,
    as_of: date,
):
    """项目台账: every project the filters match (all pages), as the list shows them."""
    q = search.normalise(q)
    if status is not None and status not in STATUSES:
        raise Problem(
            422,
            f"status 无效，可选：{', '.join(STATUSES)}",
            violations=[{"field": "status", "message": "unknown status"}],
        )

    plan = await projects_repo.plan_search(session, q) if q is not None else None

    async def rows() -> AsyncIterator[dict]:
        if q is not None and plan is None:  # a term of the query is in no project
            return
        async for v in projects_repo.stream_views(
            session,
            status=status,
            org=org,
            library_year=library_year,
            search_for=plan,
            visible_to_org=None if principal.citywide else principal.org,
            columns=LEDGER_FIELDS,
        ):
            yield ledger_row(v, as_of)

    return await xlsx_response(
        f"项目台账-{as_of.isoformat()}.xlsx",
        SheetSpec("项目台账", PROJECT_COLUMNS, rows()),
        title=f"政务信息化项目台账（截至 {as_of.isoformat()}）",
    )
