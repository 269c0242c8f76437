from __future__ import annotations

import uuid

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep

from . import service
from .rules import ORDERING_ROLES
from .schemas import CloseIn, RectificationIn, RectificationOut, VerificationIn

router = APIRouter(tags=["rectifications"])


@router.post(
    "/projects/{project_id}/rectifications", summary="下达限期整改", status_code=201, response_model=RectificationOut
)
async def order_rectification(
    project_id: uuid.UUID, body: RectificationIn, principal: allow(*ORDERING_ROLES, rule="R-30.1"), session: SessionDep
):
    """监督部门下达限期整改（第三十条；事故后第十九条）。"""
    return await service.order(session, principal, project_id, body)


@router.get("/projects/{project_id}/rectifications", summary="项目整改列表", response_model=list[RectificationOut])
async def project_rectifications(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    return await service.project_rectifications(session, principal, project_id)


@router.post("/rectifications/{rectification_id}/close", summary="报送整改情况", response_model=RectificationOut)
async def close_rectification(
    rectification_id: uuid.UUID, body: CloseIn, principal: allow("unit", rule="R-30.1"), session: SessionDep
):
    """项目建设单位报送整改情况，附整改证明材料（第三十条）；由下达整改的部门核查。"""
    return await service.close(session, principal, rectification_id, body)


@router.post("/rectifications/{rectification_id}/verification", summary="核查整改情况", response_model=RectificationOut)
async def verify_rectification(
    rectification_id: uuid.UUID,
    body: VerificationIn,
    principal: allow(*ORDERING_ROLES, rule="R-30.1"),
    session: SessionDep,
):
    """下达整改的部门核查整改情况：已整改（办结）或仍不符合要求（第三十条）。"""
    return await service.verify(session, principal, rectification_id, body)
