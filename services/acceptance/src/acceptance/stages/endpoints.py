"""Acceptance of a project: the view, the unit's profile and the stages (R-21.*)."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from govkit.auth import AnyPrincipal, allow
from govkit.clock import today
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery
from govkit.params import AsOfQuery
from govkit.versioning import IfMatch

from . import service
from .schemas import FinalApplicationIn, FinalIn, PreliminaryIn, ProfileIn, TrialOperationIn

router = APIRouter(tags=["acceptance"])


async def _answer(session, project, response: Response) -> dict:
    body = await service.view(session, project)
    response.headers["ETag"] = f'"{project.version}"'
    return body


@router.get("/projects", summary="验收项目列表")
async def list_projects(
    principal: AnyPrincipal,
    session: SessionDep,
    path: Literal["standard", "merged", "classified", "on_behalf"] | None = None,
    stage: str | None = None,
    org: str | None = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
):
    return await service.list_views(session, principal, path=path, stage=stage, org=org, cursor=cursor, limit=limit)


@router.get("/projects/{project_id}", summary="项目验收情况：路径、阶段、缺少的条件")
async def get_project(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep, response: Response):
    project = await service.load_visible(session, principal, project_id)
    return await _answer(session, project, response)


@router.put("/projects/{project_id}/profile", summary="建设单位声明：是否使用密码、计划验收日期")
async def put_profile(
    project_id: uuid.UUID,
    body: ProfileIn,
    principal: allow("unit"),
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    project = await service.update_profile(session, principal, project_id, body, if_match)
    return await _answer(session, project, response)


class PathIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"path": "standard"}]}, extra="forbid")
    path: Literal["merged", "standard"] = Field(description="合并初验与终验（merged，缺省）或三阶段验收（standard）")


@router.post("/projects/{project_id}/path", summary="200万元以下项目由建设单位选择是否合并验收（第二十一条）")
async def post_path(
    project_id: uuid.UUID,
    body: PathIn,
    principal: allow("unit", rule="R-21.3"),
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    project = await service.choose_path_of_unit(session, principal, project_id, body.path, if_match)
    return await _answer(session, project, response)


# Roles that may reach a stage step at all (R-21.2: the unit organises preliminary acceptance and
# trial operation, bdb leads final acceptance); which of them acts on a given project follows its path
# (R-21.2 –, checked in the service). The big data group is admitted here so that it gets the
# path's rule (R-21.4: the commissioning unit leads) rather than a bare 403.
UNIT_STEP = allow("unit", "big_data_group", rule="R-21.2")
FINAL_STEP = allow("unit", "bdb", "big_data_group", rule="R-21.2")


@router.post("/projects/{project_id}/preliminary", summary="初步验收（第二十一条）")
async def post_preliminary(
    project_id: uuid.UUID,
    body: PreliminaryIn,
    principal: UNIT_STEP,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    project = await service.record_preliminary(session, principal, project_id, body, if_match)
    return await _answer(session, project, response)


@router.post("/projects/{project_id}/trial-operation", summary="系统试运行（第二十一条、第二十三条）")
async def post_trial_operation(
    project_id: uuid.UUID,
    body: TrialOperationIn,
    principal: UNIT_STEP,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    project = await service.start_trial_operation(session, principal, project_id, body, if_match)
    return await _answer(session, project, response)


@router.post("/projects/{project_id}/final-application", summary="向市大数据管理局申请终验（第二十一条）")
async def post_final_application(
    project_id: uuid.UUID,
    body: FinalApplicationIn,
    principal: UNIT_STEP,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    project = await service.apply_final(session, principal, project_id, body, if_match)
    return await _answer(session, project, response)


@router.post("/projects/{project_id}/final", summary="竣工验收（终验）（第七条、第十六条、第二十一条至第二十四条）")
async def post_final(
    project_id: uuid.UUID,
    body: FinalIn,
    principal: FINAL_STEP,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    project = await service.accept_final(session, principal, project_id, body, if_match)
    return await _answer(session, project, response)


@router.get("/acceptances/overdue", summary="逾期未验收的项目（第二十一条）")
async def overdue(
    principal: AnyPrincipal,
    session: SessionDep,
    as_of: AsOfQuery = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
):
    return await service.list_overdue(session, principal, as_of=as_of or today(), cursor=cursor, limit=limit)
