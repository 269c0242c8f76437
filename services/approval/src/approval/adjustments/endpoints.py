from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep

from . import service
from .schemas import AdjustmentIn, AdjustmentRead

router = APIRouter(tags=["adjustments"])


@router.post("/applications/{project_id}/adjustments", response_model=AdjustmentRead, status_code=201)
async def file_adjustment(project_id: UUID, body: AdjustmentIn, principal: allow("unit"), session: SessionDep):
    """R-20.1 / X-20.1: self-adjusted when every condition holds, else reapproval_required with each unmet one."""
    return await service.file_adjustment(session, principal, str(project_id), body)


@router.get("/applications/{project_id}/adjustments")
async def list_adjustments(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    return {"items": [AdjustmentRead.model_validate(a) for a in
                      await service.list_adjustments(session, principal, str(project_id))], "next_cursor": None}
