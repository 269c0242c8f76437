"""The annual funding plan (资金计划, R-4.2): compiled by bdb with finance, every amendment a version."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Response

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.excel import XLSX_RESPONSES, FormatQuery
from govkit.pagination import CursorQuery, LimitQuery
from govkit.versioning import IfMatch

from . import export, service
from .schemas import PlanLinePut, PlanPut, PlanRead, PlanVersionList, PlanVersionRead

router = APIRouter(tags=["funding-plans"])

Year = Annotated[int, Path(ge=2000, le=2100, description="计划年度")]
VERSION_READERS = ("bdb", "finance", "bdc", "approval_bureau", "ndrc", "leading_group", "admin")


def _etag(response: Response, body: dict) -> dict:
    response.headers["ETag"] = f'"{body["version"]}"'
    return body


@router.put("/funding-plans/{year}", summary="编制年度资金计划", response_model=PlanRead)
async def put_plan(
    year: Year,
    body: PlanPut,
    principal: allow("bdb", "finance", rule="R-4.2"),
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    """R-4.2: the year's plan — per approved project, the amount to be paid that year. The first PUT
    compiles version 1; each later PUT with different lines is an amendment (a new version, `reason`
    required, `If-Match` the version read). The same lines again change nothing. 409 R-4.2 listing
    every line that cannot stand (project not approved, below what was paid this year, beyond the
    approved investment)."""
    amounts = {str(line.project_id): line.amount for line in body.lines}
    return _etag(response, await service.put_plan(session, year, amounts, body.reason, principal, if_match))


@router.put("/funding-plans/{year}/lines/{project_id}", summary="调整年度资金计划的一个项目", response_model=PlanRead)
async def put_plan_line(
    year: Year,
    project_id: UUID,
    body: PlanLinePut,
    principal: allow("bdb", "finance", rule="R-4.2"),
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    """One project's line, the other lines kept: an amendment like any other (a new version)."""
    return _etag(
        response, await service.put_line(session, year, str(project_id), body.amount, body.reason, principal, if_match)
    )


@router.get("/funding-plans/{year}", summary="年度资金计划", response_model=PlanRead, responses=XLSX_RESPONSES)
async def get_plan(
    year: Year, principal: AnyPrincipal, session: SessionDep, response: Response, format: FormatQuery = "json"
):
    """The current version with each line's payments this year and confirmed requests not yet paid
    (a unit sees its own projects' lines). `format=xlsx`: 资金计划 (Excel)."""
    if format == "xlsx":
        return await export.funding_plan(session, principal, year)
    return _etag(response, await service.plan_read(session, year, principal))


@router.get("/funding-plans/{year}/versions", summary="年度资金计划版本列表", response_model=PlanVersionList)
async def list_plan_versions(
    year: Year,
    principal: allow(*VERSION_READERS),
    session: SessionDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
):
    """Every version of the year's plan, oldest first, with what each changed and why (R-4.2)."""
    return await service.list_versions(session, year, cursor, limit)


@router.get("/funding-plans/{year}/versions/{version}", summary="年度资金计划某一版本", response_model=PlanVersionRead)
async def get_plan_version(
    year: Year, version: Annotated[int, Path(ge=1)], principal: allow(*VERSION_READERS), session: SessionDep
):
    return await service.get_version(session, year, version)
