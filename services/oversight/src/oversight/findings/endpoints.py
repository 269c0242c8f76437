from __future__ import annotations

import uuid

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep

from . import service
from .schemas import FindingIn, FindingOut

router = APIRouter(tags=["findings"])


@router.post(
    "/projects/{project_id}/findings", summary="记录不配合监督情形", status_code=201, response_model=FindingOut
)
async def record_finding(
    project_id: uuid.UUID, body: FindingIn, principal: allow("bdb", "finance", "third_party"), session: SessionDep
):
    """拒绝配合、隐瞒或虚报，记录在案（第二十九条）。"""
    return await service.record(session, principal, project_id, body)


@router.get("/projects/{project_id}/findings", summary="不配合监督记录列表", response_model=list[FindingOut])
async def project_findings(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    return await service.project_findings(session, principal, project_id)
