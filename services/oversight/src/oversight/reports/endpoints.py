from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery
from govkit.params import AsOfQuery
from govkit.versioning import IfMatch

from .. import clock
from . import service
from .schemas import OverdueReportList, ProgressReportIn, ProgressReportOut, ScanResult

router = APIRouter(tags=["progress-reports"])
Limit = Annotated[int, Query(ge=1, le=200)]


@router.post(
    "/projects/{project_id}/progress-reports", summary="报送季度进展", status_code=201, response_model=ProgressReportOut
)
async def submit_report(
    project_id: uuid.UUID,
    body: ProgressReportIn,
    principal: allow("unit"),
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    """按季度报送项目进展（第十八条）：每季度一份，更正须带 If-Match。"""
    out = await service.submit_report(session, principal, project_id, body, if_match)
    response.headers["ETag"] = f'"{out.version}"'
    if out.version > 1:
        response.status_code = 200
    return out


@router.get(
    "/projects/{project_id}/progress-reports", summary="季度进展报告列表", response_model=list[ProgressReportOut]
)
async def list_reports(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    return await service.list_reports(session, principal, project_id)


@router.get("/progress-reports/overdue", summary="季度进展逾期未报清单", response_model=OverdueReportList)
async def overdue_reports(
    principal: AnyPrincipal,
    session: SessionDep,
    as_of: AsOfQuery = None,
    limit: Limit = 100,
    cursor: CursorQuery = None,
):
    """季度进展逾期未报（第十八条，X-30.1）：截止日为季度结束后 policy 规定天数，当日不算逾期。"""
    return await service.list_overdue(session, principal, as_of or clock.today(), limit, cursor)


@router.post("/progress-reports/overdue:scan", summary="扫描逾期未报的季度进展", response_model=ScanResult)
async def scan_overdue(principal: allow("bdb", "admin", "service"), session: SessionDep, as_of: AsOfQuery = None):
    """The periodic scan on demand: ProgressReportOverdue once per missed quarter."""
    return await service.scan_overdue(session, as_of or clock.today())
