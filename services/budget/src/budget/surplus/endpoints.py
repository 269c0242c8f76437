"""Surplus returns (R-27.1)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from govkit import clock
from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.errors import ensure_not_future

from . import service
from .schemas import (
    SettlementCreate,
    SettlementRead,
    SettlementScan,
    SurplusReturnCreate,
    SurplusReturnList,
    SurplusReturnRead,
)

router = APIRouter(tags=["surplus"])


@router.post(
    "/projects/{project_id}/surplus-returns", summary="退回结余资金", response_model=SurplusReturnRead, status_code=201
)
async def return_surplus(
    project_id: UUID, body: SurplusReturnCreate, principal: allow("finance", "unit"), session: SessionDep
):
    """Return part of the unspent balance during construction (R-27.1). On final acceptance or
    termination the whole remaining balance is returned automatically."""
    return await service.return_surplus(session, str(project_id), body.amount, body.reason, principal, clock.today())


@router.get("/projects/{project_id}/surplus-returns", summary="结余资金退回列表", response_model=SurplusReturnList)
async def list_surplus_returns(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    return await service.list_returns(session, str(project_id), principal)


@router.post("/projects/{project_id}/settlement", summary="项目结账", response_model=SettlementRead, status_code=201)
async def close_books(project_id: UUID, body: SettlementCreate, principal: allow("finance"), session: SessionDep):
    """R-27.1: close the books of a finally accepted project once its contracts are all paid or its
    warranty has ended; what remains is returned. 409 listing what the contracts still owe otherwise."""
    return await service.close_project(session, str(project_id), principal, body.as_of or clock.today())


@router.post("/settlements/scan", summary="批量结账（质保期满）", response_model=SettlementScan)
async def scan_settlements(body: SettlementCreate, principal: allow("finance"), session: SessionDep):
    """R-27.1: close the books of every finally accepted project whose warranty ended before `as_of`
    (the service also runs this periodically)."""
    as_of = body.as_of or clock.today()
    ensure_not_future("as_of", as_of, "结算日期")
    return {
        "as_of": as_of,
        "settled": await service.settle_expired(session, as_of),
        "rule": "R-27.1",
        "article": "第二十七条",
    }
