from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.versioning import IfMatch

from . import service
from .schemas import ConstructionIn, ConstructionOut

router = APIRouter(tags=["construction"])


@router.put("/projects/{project_id}/construction", summary="建设备案", response_model=ConstructionOut)
async def file_construction(
    project_id: uuid.UUID,
    body: ConstructionIn,
    principal: allow("unit"),
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
):
    """建设备案：实施主体、负责人、招投标与合同、监理（第十五条、第十七条），质保与成果归属（第十六条）。"""
    out = await service.file_construction(session, principal, project_id, body, if_match)
    response.headers["ETag"] = f'"{out.version}"'
    return out


@router.get("/projects/{project_id}/construction", summary="建设备案详情", response_model=ConstructionOut)
async def get_construction(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep, response: Response):
    out = await service.get_construction(session, principal, project_id)
    if out.version:
        response.headers["ETag"] = f'"{out.version}"'
    return out
