"""年度项目储备库清单 (R-8.1, R-8.2) as an Excel workbook: the library as `GET /libraries/{year}`
shows it to the caller (a unit sees its own entries), with a total row."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.excel import Column, SheetSpec, xlsx_response

from ..declarations.rules import CATEGORIES
from . import service

STATUS_ZH = {"not_compiled": "未编制", "compiled": "已编制", "filed": "已报领导小组备案"}
ROUTE_ZH = {"window": "申报窗口", "special_addition": "专项增补", "emergency": "应急项目", "supplement": "半年增补"}
ADMITTED_BY_ZH = {
    "compile": "年度编制（第八条）",
    "supplement": "半年增补（第九条）",
    "special_addition": "专项增补会商同意（第九条）",
}

COLUMNS = [
    Column("序号", "n", "int", 6),
    Column("申报编号", "declaration_no", width=16),
    Column("项目名称", "title", width=36),
    Column("建设单位", "org", width=16),
    Column("参与单位", lambda r: "、".join(r["participant_orgs"]), width=20),
    Column("项目类别", lambda r: CATEGORIES.get(r["category"], r["category"]), width=14),
    Column("申报投资（元）", "estimated_investment", "money", 18),
    Column("入库途径", lambda r: ROUTE_ZH.get(r["route"], r["route"]), width=12),
    Column("入库日期", "admitted_on", "date", 12),
    Column("入库依据", lambda r: ADMITTED_BY_ZH.get(r["admitted_by"], r["admitted_by"]), width=22),
    Column("提示", lambda r: "；".join(f"{f['rule']} {f['message']}" for f in r["flags"]), width=40),
]


async def library_workbook(session: AsyncSession, principal: Principal, year: int):
    library = await service.get_library(session, principal, year)
    rows = [{"n": i, **e.model_dump()} for i, e in enumerate(library.items, 1)]
    rows.append(
        {
            "n": None,
            "declaration_no": None,
            "title": f"合计（{library.project_count} 个项目）",
            "org": None,
            "participant_orgs": [],
            "category": None,
            "estimated_investment": library.total_investment,
            "route": None,
            "admitted_on": None,
            "admitted_by": None,
            "flags": [],
        }
    )
    status = STATUS_ZH.get(library.status, library.status)
    return await xlsx_response(
        f"{year}年度项目储备库清单.xlsx",
        SheetSpec(f"{year}年度储备库", COLUMNS, rows),
        title=f"{year}年度市级政务信息化项目储备库清单（{status}）",
    )
