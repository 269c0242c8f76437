"""The overall plan of municipal e-government (总体规划, R-4.1): versioned documents."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.versioning import IfMatch

from . import service
from .schemas import PlanDecisionIn, PlanVersionCreate, PlanVersionList, PlanVersionRead

router = APIRouter(prefix="/plans", tags=["plans"])


@router.post("", summary="起草总体规划版本", status_code=201, response_model=PlanVersionRead)
async def draft(data: PlanVersionCreate, session: SessionDep, principal: allow("bdb", rule="R-4.1")):
    """bdb drafts a new version of the overall plan (items with codes that declarations name)."""
    return await service.draft(session, principal, data)


@router.get("", summary="总体规划版本列表", response_model=PlanVersionList)
async def listing(
    session: SessionDep,
    _: AnyPrincipal,
    jurisdiction: str | None = None,
    status: Literal["draft", "approved", "rejected", "superseded"] | None = None,
):
    return await service.listing(session, jurisdiction, status)


@router.get("/current", summary="现行总体规划", response_model=PlanVersionRead)
async def current(session: SessionDep, principal: AnyPrincipal, jurisdiction: str | None = None):
    """The version in force: the last one the leading group approved (404 before any)."""
    return await service.current(session, principal, jurisdiction)


@router.get("/{plan_id}", summary="总体规划版本详情", response_model=PlanVersionRead)
async def get(plan_id: str, session: SessionDep, _: AnyPrincipal):
    return await service.get(session, plan_id)


@router.post("/{plan_id}/decision", summary="审定总体规划", response_model=PlanVersionRead)
async def decide(
    plan_id: str,
    data: PlanDecisionIn,
    session: SessionDep,
    principal: allow("leading_group", rule="R-4.1"),
    if_match: IfMatch = None,
):
    """R-4.1: the leading group approves (审定) or rejects a draft version; approval supersedes the
    version in force. A decided version is never changed: a change is a new draft."""
    return await service.decide(session, principal, plan_id, data, if_match)
