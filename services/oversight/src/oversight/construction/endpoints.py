from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Response

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep

from ..etag import parse_if_match
from . import service
from .schemas import ConstructionIn, ConstructionOut

router = APIRouter(tags=["construction"])


@router.put("/projects/{project_id}/construction", response_model=ConstructionOut)
async def file_construction(project_id: uuid.UUID, body: ConstructionIn, principal: allow("unit"),
                            session: SessionDep, response: Response,
                            if_match: Annotated[str | None, Header()] = None):
    """建设备案：实施主体、负责人、招投标与合同、监理（第十五条、第十七条），质保与成果归属（第十六条）。"""
    out = await service.file_construction(session, principal, project_id, body, parse_if_match(if_match))
    response.headers["ETag"] = f'"{out.version}"'
    return out


@router.get("/projects/{project_id}/construction", response_model=ConstructionOut)
async def get_construction(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep,
                           response: Response):
    out = await service.get_construction(session, principal, project_id)
    if out.version:
        response.headers["ETag"] = f'"{out.version}"'
    return out
