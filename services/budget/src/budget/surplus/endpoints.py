"""Surplus returns (R-27.1)."""
from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from govkit import clock
from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep

from . import service
from .schemas import SurplusReturnCreate, SurplusReturnList, SurplusReturnRead

router = APIRouter(tags=["surplus"])


@router.post("/projects/{project_id}/surplus-returns", response_model=SurplusReturnRead, status_code=201)
async def return_surplus(project_id: UUID, body: SurplusReturnCreate, principal: allow("finance", "unit"),
                         session: SessionDep):
    """Return part of the unspent balance during construction (R-27.1). On final acceptance or
    termination the whole remaining balance is returned automatically."""
    return await service.return_surplus(session, str(project_id), body.amount, body.reason, principal, clock.today())


@router.get("/projects/{project_id}/surplus-returns", response_model=SurplusReturnList)
async def list_surplus_returns(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    return await service.list_returns(session, str(project_id), principal)
