"""Funding requests (资金申请, R-5.1): the unit asks, bdb confirms against the plan, finance pays."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Query

from govkit import clock
from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery

from . import service
from .schemas import FundingDecisionCreate, FundingRequestCreate, FundingRequestList, FundingRequestRead

router = APIRouter(tags=["funding-requests"])

Status = Literal["submitted", "confirmed", "returned", "paid"]


@router.post(
    "/projects/{project_id}/funding-requests",
    summary="提交用款申请",
    response_model=FundingRequestRead,
    status_code=201,
)
async def file_request(
    project_id: UUID, body: FundingRequestCreate, principal: allow("unit", rule="R-5.1"), session: SessionDep
):
    """R-5.1: the unit asks for money — amount, purpose, the contract it pays (`contract_id`) and its
    invoices or milestone evidence. 409 when the contract is not compliant (R-26.1) or the amount is
    more than the contract still owes (R-5.1), or while the project is suspended/terminated (R-30.2)."""
    return await service.file_request(
        session,
        str(project_id),
        amount=body.amount,
        purpose=body.purpose,
        contract_id=str(body.contract_id),
        evidence=[e.model_dump() for e in body.evidence],
        year=body.year or clock.today().year,
        principal=principal,
    )


@router.get("/projects/{project_id}/funding-requests", summary="项目用款申请列表", response_model=FundingRequestList)
async def list_project_requests(
    project_id: UUID,
    principal: AnyPrincipal,
    session: SessionDep,
    status: Status | None = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
):
    return await service.list_requests(
        session, principal, project_id=str(project_id), status=status, year=None, cursor=cursor, limit=limit
    )


@router.get("/funding-requests", summary="用款申请列表", response_model=FundingRequestList)
async def list_requests(
    principal: AnyPrincipal,
    session: SessionDep,
    status: Status | None = None,
    year: int | None = Query(None, ge=2000, le=2100),
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
):
    """bdb's to-do list with `status=submitted`; a unit sees its own projects' requests."""
    return await service.list_requests(
        session, principal, project_id=None, status=status, year=year, cursor=cursor, limit=limit
    )


@router.get("/funding-requests/{request_id}", summary="用款申请详情", response_model=FundingRequestRead)
async def get_request(request_id: UUID, principal: AnyPrincipal, session: SessionDep):
    return await service.get_request(session, str(request_id), principal)


@router.post("/funding-requests/{request_id}/decision", summary="确认或退回用款申请", response_model=FundingRequestRead)
async def decide(
    request_id: UUID, body: FundingDecisionCreate, principal: allow("bdb", rule="R-5.1"), session: SessionDep
):
    """R-5.1: bdb confirms the request against the year's funding plan (409 R-4.2 beyond its line) or
    returns it with its opinion. Once only (409 R-5.1 otherwise)."""
    return await service.decide(session, str(request_id), body.decision, body.opinion, principal)
