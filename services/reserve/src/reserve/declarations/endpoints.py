from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery
from govkit.params import YearQuery
from govkit.versioning import IfMatch

from ..common import SettingsDep
from . import service
from .schemas import (
    DecisionIn,
    DeclarationCreate,
    DeclarationCreated,
    DeclarationList,
    DeclarationRead,
    ReasonIn,
    Status,
    WithdrawIn,
)

router = APIRouter(prefix="/declarations", tags=["declarations"])


@router.post("", summary="项目申报", status_code=201, response_model=DeclarationCreated)
async def declare(data: DeclarationCreate, session: SessionDep, principal: allow("unit"), settings: SettingsDep):
    """Three routes in: inside an open window (R-8.1/R-9.1), a special addition (R-9.2), an emergency
    (R-9.3); `draft: true` saves without submitting. Scope checked at intake (R-2.1, R-2.2)."""
    return await service.declare(session, principal, data, settings.special_addition_consultation_days)


@router.get("", summary="申报列表", response_model=DeclarationList)
async def list_declarations(
    session: SessionDep,
    principal: AnyPrincipal,
    settings: SettingsDep,
    library_year: YearQuery = None,
    status: Status | None = None,
    org: str | None = None,
    category: str | None = None,
    route: Literal["window", "special_addition", "emergency"] | None = None,
    plan_item: str | None = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
):
    """A unit lists only its own (and those it takes part in as a cross-department participant)."""
    return await service.list_declarations(
        session,
        principal,
        library_year=library_year,
        status=status,
        org=org,
        category=category,
        route=route,
        plan_item=plan_item,
        limit=limit,
        cursor=cursor,
        consultation_days=settings.special_addition_consultation_days,
    )


@router.get("/{project_id}", summary="申报详情", response_model=DeclarationRead)
async def get_declaration(project_id: str, session: SessionDep, principal: AnyPrincipal, settings: SettingsDep):
    return await service.get_declaration(session, principal, project_id, settings.special_addition_consultation_days)


@router.post("/{project_id}/submit", summary="提交申报", response_model=DeclarationRead)
async def submit(
    project_id: str, session: SessionDep, principal: allow("unit"), settings: SettingsDep, if_match: IfMatch = None
):
    """A draft into the open window of its library year (R-8.1 / R-9.1)."""
    return await service.submit(session, principal, project_id, if_match, settings.special_addition_consultation_days)


@router.post("/{project_id}/withdraw", summary="撤回申报", response_model=DeclarationRead)
async def withdraw(
    project_id: str,
    session: SessionDep,
    principal: allow("unit"),
    settings: SettingsDep,
    data: WithdrawIn | None = None,
    if_match: IfMatch = None,
):
    """The declaring unit withdraws before admission."""
    return await service.withdraw(
        session,
        principal,
        project_id,
        data.reason if data else "",
        if_match,
        settings.special_addition_consultation_days,
    )


@router.post("/{project_id}/refuse", summary="不予入库", response_model=DeclarationRead)
async def refuse(
    project_id: str,
    data: ReasonIn,
    session: SessionDep,
    principal: allow("bdb"),
    settings: SettingsDep,
    if_match: IfMatch = None,
):
    """bdb leaves a submitted declaration out of the library, with reasons."""
    return await service.refuse(
        session, principal, project_id, data.reason, if_match, settings.special_addition_consultation_days
    )


@router.post("/{project_id}/special-addition", summary="申请特别增补", response_model=DeclarationRead)
async def request_special_addition(
    project_id: str,
    data: ReasonIn,
    session: SessionDep,
    principal: allow("unit"),
    settings: SettingsDep,
    if_match: IfMatch = None,
):
    """R-9.2: a declaration that missed its window (a draft) becomes a special-addition request."""
    return await service.request_special_addition(
        session, principal, project_id, data.reason, if_match, settings.special_addition_consultation_days
    )


@router.post("/{project_id}/consultation/decisions", summary="特别增补会商意见", response_model=DeclarationRead)
@router.post("/{project_id}/special-addition/decisions", summary="特别增补会商意见", response_model=DeclarationRead)
async def decide_special_addition(
    project_id: str,
    data: DecisionIn,
    session: SessionDep,
    principal: allow("bdb", "finance", "approval_bureau"),
    settings: SettingsDep,
    if_match: IfMatch = None,
):
    """R-9.2: each bureau once; all three agree → admitted; any refusal → refused. The same for a
    supplement window's declaration put to the consultation (R-9.1); both paths work for both."""
    return await service.decide_special_addition(
        session, principal, project_id, data, if_match, settings.special_addition_consultation_days
    )
