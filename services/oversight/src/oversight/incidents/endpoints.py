from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery

from . import service
from .schemas import IncidentIn, IncidentList, IncidentOut

router = APIRouter(tags=["incidents"])


@router.post("/projects/{project_id}/incidents", summary="报告重大事项", status_code=201, response_model=IncidentOut)
async def report_incident(project_id: uuid.UUID, body: IncidentIn, principal: allow("unit"), session: SessionDep):
    """重大延误或重大投资损失即报（第十九条）。"""
    return await service.report_incident(session, principal, project_id, body)


@router.get("/projects/{project_id}/incidents", summary="项目重大事项报告列表", response_model=list[IncidentOut])
async def project_incidents(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    return await service.project_incidents(session, principal, project_id)


@router.get("/incidents", summary="重大事项报告收件箱", response_model=IncidentList)
async def incident_inbox(
    principal: AnyPrincipal,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: CursorQuery = None,
):
    return await service.inbox(session, principal, limit, cursor)
