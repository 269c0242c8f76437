"""R-21.5: extension requests and bdb's decisions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.versioning import IfMatch

from . import service
from .schemas import ExtensionDecisionIn, ExtensionIn, ExtensionOut

router = APIRouter(tags=["acceptance"])


@router.post(
    "/projects/{project_id}/extensions",
    status_code=201,
    response_model=ExtensionOut,
    summary="不能按期验收的，向市大数据管理局申请延期（第二十一条）",
)
async def post_extension(
    project_id: uuid.UUID, body: ExtensionIn, principal: allow("unit"), session: SessionDep, if_match: IfMatch = None
):
    return await service.request_extension(session, principal, project_id, body, if_match)


@router.post(
    "/projects/{project_id}/extensions/{extension_id}/decision",
    response_model=ExtensionOut,
    summary="市大数据管理局对延期申请的决定（第二十一条）",
)
async def post_extension_decision(
    project_id: uuid.UUID,
    extension_id: uuid.UUID,
    body: ExtensionDecisionIn,
    principal: allow("bdb"),
    session: SessionDep,
    if_match: IfMatch = None,
):
    return await service.decide_extension(session, principal, project_id, extension_id, body, if_match)


@router.get("/projects/{project_id}/extensions", summary="延期申请及决定")
async def list_extensions(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    rows = await service.list_extensions(session, principal, project_id)
    return {"items": [ExtensionOut.model_validate(r).model_dump(mode="json") for r in rows], "next_cursor": None}
