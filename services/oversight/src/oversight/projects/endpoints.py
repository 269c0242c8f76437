from __future__ import annotations

import uuid
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Response

from govkit.auth import AnyPrincipal
from govkit.db import SessionDep
from govkit.excel import XLSX_RESPONSES, FormatQuery
from govkit.pagination import CursorQuery
from govkit.params import AsOfQuery, YearQuery

from .. import clock
from . import ledger, service
from .schemas import ProjectList, ProjectOut, Timeline

router = APIRouter(tags=["projects"])
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get(
    "/projects",
    summary="全流程项目一览",
    response_model=None,
    responses={200: {"model": ProjectList, **XLSX_RESPONSES[200]}},
)
async def list_projects(
    principal: AnyPrincipal,
    session: SessionDep,
    status: Annotated[
        str | None, Query(description="项目所处阶段", json_schema_extra={"enum": list(service.STATUSES)})
    ] = None,
    org: str | None = None,
    library_year: YearQuery = None,
    limit: Limit = 50,
    cursor: CursorQuery = None,
    as_of: AsOfQuery = None,
    q: Annotated[
        str | None,
        Query(
            max_length=100,
            description=(
                "关键词：项目名称、申报编号、项目代码、建设单位的子串（不区分大小写），结果带 total（符合条件的总数）"
            ),
        ),
    ] = None,
    format: FormatQuery = "json",
) -> Response:
    """全流程项目一览：阶段、资金、报告、处理与时钟，红黄绿灯及原因；`q` 关键词检索；
    `format=xlsx` 导出项目台账（全部符合条件的项目）。

    The hot path: the service builds the response shape (ProjectList) itself, so it is serialised
    straight to JSON rather than validated a second time."""
    if format == "xlsx":
        return await ledger.project_ledger(
            session, principal, status=status, org=org, library_year=library_year, q=q, as_of=as_of or clock.today()
        )
    page = await service.list_projects(
        session,
        principal,
        status=status,
        org=org,
        library_year=library_year,
        limit=limit,
        cursor=cursor,
        as_of=as_of or clock.today(),
        q=q,
    )
    return Response(orjson.dumps(page, default=str), media_type="application/json")


@router.get("/projects/{project_id}", summary="项目全流程视图", response_model=ProjectOut)
async def get_project(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep, as_of: AsOfQuery = None):
    return await service.get_project(session, principal, project_id, as_of or clock.today())


@router.get("/projects/{project_id}/timeline", summary="项目时间线", response_model=Timeline)
async def timeline(
    project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep, limit: Limit = 200, cursor: CursorQuery = None
):
    """项目全部事件：服务、类型、时间、操作人及依据条款，按发生顺序。"""
    return await service.timeline(session, principal, project_id, limit, cursor)
