"""Excel exports of oversight: 项目台账 (the project list with any filter), 季度进度汇总表 (the nine
figures of R-18.1 per project per quarter) and 逾期事项清单 (every overdue clock, X-30.1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.excel import Column, SheetSpec, xlsx_response
from govkit.rules import article_of

from ..projects import repository as projects_repo
from ..supervision import rules as clock_rules
from . import repository


def _visible_to(principal: Principal) -> str | None:
    return None if principal.citywide else principal.org


REPORT_COLUMNS = [
    Column("项目名称", lambda r: r.title, width=36),
    Column("申报编号", lambda r: r.declaration_no, width=16),
    Column("项目代码", lambda r: r.project_code, width=26),
    Column("建设单位", lambda r: r.org, width=16),
    Column("年度", lambda r: r.ProgressReport.year, "int", 8),
    Column("季度", lambda r: r.ProgressReport.quarter, "int", 6),
    Column("前期手续办理", lambda r: r.ProgressReport.procedures, width=24),
    Column("招标采购", lambda r: r.ProgressReport.tendering, width=24),
    Column("开工/完工", lambda r: r.ProgressReport.start_completion, width=20),
    Column("实施情况", lambda r: r.ProgressReport.implementation, width=30),
    Column("开发进度", lambda r: r.ProgressReport.development_progress_pct, "pct", 10),
    Column("本年完成投资（元）", lambda r: r.ProgressReport.investment_completed_year, "money", 18),
    Column("本年资金使用（元）", lambda r: r.ProgressReport.funds_used_year, "money", 18),
    Column("累计完成投资（元）", lambda r: r.ProgressReport.investment_completed_total, "money", 18),
    Column("累计资金使用（元）", lambda r: r.ProgressReport.funds_used_total, "money", 18),
    Column("报送截止日", lambda r: r.ProgressReport.due_on, "date", 12),
    Column("报送日期", lambda r: r.ProgressReport.reported_on, "date", 12),
    Column("逾期报送", lambda r: r.ProgressReport.late, "bool", 10),
]


async def quarterly_summary(
    session: AsyncSession, principal: Principal, *, year: int | None, quarter: int | None, org: str | None
):
    """季度进度汇总表: the nine figures of R-18.1, one row per project and quarter."""
    suffix = "".join([f"{year}年" if year else "", f"第{quarter}季度" if quarter else ""]) or "全部"
    rows = repository.stream_reports(
        session, year=year, quarter=quarter, org=org, visible_to_org=_visible_to(principal)
    )
    return await xlsx_response(
        f"季度进度汇总表-{suffix}.xlsx",
        SheetSpec("季度进度汇总表", REPORT_COLUMNS, rows),
        title=f"政务信息化项目季度进度汇总表（{suffix}，第十八条）",
    )


KIND_ZH = {
    "R-18.1": "季度进展逾期未报",
    "R-30.2": "整改逾期未完成",
    "R-21.5": "逾期未验收",
    "R-24.1": "自评价逾期未报送",
}
PARTY = {
    "R-18.1": "建设单位",
    "R-30.2": "建设单位",
    "R-21.5": "建设单位（可向市大数据管理局申请延期）",
    "R-24.1": "建设单位",
}


def overdue_items(v, as_of: date) -> list[dict]:
    """Every clock of one project that ran out before `as_of` (X-30.1)."""
    if v.terminated:
        return []
    out = []
    if v.approved_on is not None:
        reported = {(int(k.split("-Q")[0]), int(k.split("-Q")[1])) for k in v.reported_quarters or []}
        window = clock_rules.reporting_window(v.approved_on, v.final_accepted_on)
        for (y, q), due in clock_rules.overdue_quarters(
            window, reported, as_of, v.jurisdiction or "city", v.declared_on
        ):
            out.append(("R-18.1", f"{y}年第{q}季度进展报告", due))
    for rid, deadline in sorted((v.open_rectifications or {}).items(), key=lambda kv: kv[1]):
        d = date.fromisoformat(deadline)
        if as_of > d:
            out.append(("R-30.2", f"整改单 {rid}", d))
    if v.planned_completion_on is not None and v.final_accepted_on is None and as_of > v.planned_completion_on:
        out.append(("R-21.5", "终验（批复建设周期届满）", v.planned_completion_on))
    if (
        v.self_evaluation_closes_on is not None
        and v.self_evaluation_rating is None
        and as_of > v.self_evaluation_closes_on
    ):
        out.append(("R-24.1", "绩效自评价（终验后 12–24 个月）", v.self_evaluation_closes_on))
    return [
        {
            "rule": rule,
            "article": article_of(rule),
            "kind": KIND_ZH[rule],
            "item": item,
            "due_on": due,
            "days_overdue": (as_of - due).days,
            "party": PARTY[rule],
            "title": v.title,
            "declaration_no": v.declaration_no,
            "project_code": v.project_code,
            "org": v.org,
        }
        for rule, item, due in out
    ]


OVERDUE_COLUMNS = [
    Column("事项类型", "kind", width=18),
    Column("事项", "item", width=30),
    Column("规则", "rule", width=8),
    Column("条款", "article", width=10),
    Column("项目名称", "title", width=36),
    Column("申报编号", "declaration_no", width=16),
    Column("项目代码", "project_code", width=26),
    Column("建设单位", "org", width=16),
    Column("截止日期", "due_on", "date", 12),
    Column("逾期天数", "days_overdue", "int", 10),
    Column("责任方", "party", width=20),
]


async def overdue_list(session: AsyncSession, principal: Principal, *, org: str | None, as_of: date):
    """逾期事项清单: every overdue clock of every visible project, as of a date."""

    async def rows() -> AsyncIterator[dict]:
        async for v in projects_repo.stream_views(
            session, status=None, org=org, library_year=None, search_for=None, visible_to_org=_visible_to(principal)
        ):
            for item in overdue_items(v, as_of):
                yield item

    return await xlsx_response(
        f"逾期事项清单-{as_of.isoformat()}.xlsx",
        SheetSpec("逾期事项清单", OVERDUE_COLUMNS, rows()),
        title=f"逾期事项清单（截至 {as_of.isoformat()}，截止日当日不算逾期）",
    )
