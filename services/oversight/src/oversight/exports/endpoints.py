"""Excel exports of oversight that are no page of a JSON list (`.xlsx` paths); the project list
itself exports with `GET /projects?format=xlsx`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from govkit.auth import AnyPrincipal
from govkit.db import SessionDep
from govkit.excel import XLSX_ONLY
from govkit.params import AsOfQuery

from .. import clock
from . import service

router = APIRouter(tags=["exports"])


@router.get("/progress-reports.xlsx", summary="季度进度汇总表（Excel）", **XLSX_ONLY)
async def quarterly_summary(
    principal: AnyPrincipal,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    quarter: Annotated[int | None, Query(ge=1, le=4)] = None,
    org: str | None = None,
):
    """季度进度汇总表（第十八条）：每个项目每季度一行，九项进展数据；单位只看到本单位项目。"""
    return await service.quarterly_summary(session, principal, year=year, quarter=quarter, org=org)


@router.get("/overdue-items.xlsx", summary="逾期事项清单（Excel）", **XLSX_ONLY)
async def overdue_items(principal: AnyPrincipal, session: SessionDep, org: str | None = None, as_of: AsOfQuery = None):
    """逾期事项清单（X-30.1）：季度报告、整改期限、验收期限、自评价窗口中已逾期的每一项。"""
    return await service.overdue_list(session, principal, org=org, as_of=as_of or clock.today())
