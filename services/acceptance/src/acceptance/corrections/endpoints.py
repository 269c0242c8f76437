"""Corrections of recorded acceptance steps (their actor, with If-Match and a reason) and bdb's reopenings."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.versioning import IfMatch

from ..stages import service as projects
from . import service
from .schemas import CorrectionIn, ReopenIn

router = APIRouter(tags=["acceptance"])
Step = Literal["preliminary", "trial_operation", "final_application"]


@router.post("/projects/{project_id}/steps/{step}/corrections", summary="更正已记录的验收步骤（须 If-Match 与理由）")
async def post_correction(
    project_id: uuid.UUID,
    step: Step,
    body: CorrectionIn,
    principal: allow("unit", "bdb", "big_data_group", rule="R-21.1"),
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    project = await service.correct(session, principal, project_id, step, body, if_match)
    response.headers["ETag"] = f'"{project.version}"'
    return await projects.view(session, project)


@router.post("/projects/{project_id}/steps/{step}/reopen", summary="市大数据管理局重新打开已有后续步骤的验收步骤")
async def post_reopen(
    project_id: uuid.UUID,
    step: Step,
    body: ReopenIn,
    principal: allow("bdb", rule="R-21.1"),
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    project = await service.reopen(session, principal, project_id, step, body, if_match)
    response.headers["ETag"] = f'"{project.version}"'
    return await projects.view(session, project)


@router.get("/projects/{project_id}/corrections", summary="验收步骤的更正与重新打开记录")
async def list_corrections(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    return {"items": await service.history(session, principal, project_id), "next_cursor": None}
