from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery
from govkit.params import AsOfQuery

from .. import clock
from . import service
from .schemas import ResumeIn, SanctionIn, SanctionOut, StandingOut

router = APIRouter(tags=["sanctions"])
# the overdue orders with the ladder's next rung — listed with the rectifications (main includes it after them)
overdue_router = APIRouter(tags=["rectifications"])


@router.post("/projects/{project_id}/sanctions", summary="作出处理决定", status_code=201, response_model=SanctionOut)
async def apply_sanction(project_id: uuid.UUID, body: SanctionIn, principal: allow("bdb"), session: SessionDep):
    """通报批评、暂缓安排投资计划、暂停项目建设、终止项目（第三十条）。"""
    return await service.apply_sanction(session, principal, project_id, body)


@router.post("/projects/{project_id}/resume", summary="恢复项目建设", response_model=StandingOut)
async def resume(project_id: uuid.UUID, principal: allow("bdb"), session: SessionDep, body: ResumeIn | None = None):
    return await service.resume(session, principal, project_id, body or ResumeIn())


@router.get("/projects/{project_id}/sanctions", summary="项目处理决定列表")
async def project_sanctions(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    return await service.project_sanctions(session, principal, project_id)


@overdue_router.get("/rectifications/overdue", summary="逾期未整改清单")
async def overdue_rectifications(
    principal: AnyPrincipal,
    session: SessionDep,
    as_of: AsOfQuery = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
    cursor: CursorQuery = None,
):
    """逾期未整改的通知及处理阶梯的下一步（第三十条）。"""
    return await service.overdue(session, principal, as_of or clock.today(), limit, cursor)
