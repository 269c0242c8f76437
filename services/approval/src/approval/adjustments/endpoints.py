from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep

from . import service
from .schemas import (
    AdjustmentIn,
    AdjustmentList,
    AdjustmentRead,
    ReapprovalApprovalIn,
    ReapprovalDecisionIn,
    ReapprovalDocumentIn,
    ReapprovalEstimateIn,
    ReapprovalList,
    ReapprovalRead,
    ReasonsIn,
)

router = APIRouter(tags=["adjustments"])


@router.post(
    "/applications/{project_id}/adjustments", summary="报送项目调整", response_model=AdjustmentRead, status_code=201
)
async def file_adjustment(project_id: UUID, body: AdjustmentIn, principal: allow("unit"), session: SessionDep):
    """R-20.1 / X-20.1: the money moved is computed from the contents before and after; self-adjusted
    when every condition holds, else reapproval_required (R-20.2) with each unmet one and the re-approval's id."""
    return await service.file_adjustment(session, principal, str(project_id), body)


@router.get("/applications/{project_id}/adjustments", summary="项目调整列表", response_model=AdjustmentList)
async def list_adjustments(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    items = await service.list_adjustments(session, principal, str(project_id))
    return AdjustmentList(items=[AdjustmentRead.model_validate(a) for a in items])


@router.get("/applications/{project_id}/reapprovals", summary="重新审批列表", response_model=ReapprovalList)
async def list_reapprovals(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    items = await service.list_reapprovals(session, principal, str(project_id))
    return ReapprovalList(items=[ReapprovalRead.model_validate(r) for r in items])


@router.get(
    "/applications/{project_id}/reapprovals/{reapproval_id}", summary="重新审批详情", response_model=ReapprovalRead
)
async def get_reapproval(project_id: UUID, reapproval_id: UUID, principal: AnyPrincipal, session: SessionDep):
    return await service.get_reapproval(session, principal, str(project_id), str(reapproval_id))


async def _read(session, principal, project_id: UUID, reapproval_id: UUID) -> dict:
    return await service.get_reapproval(session, principal, str(project_id), str(reapproval_id))


@router.post(
    "/applications/{project_id}/reapprovals/{reapproval_id}/technical-opinion",
    summary="重新审批技术审核意见",
    response_model=ReapprovalRead,
)
async def reapproval_technical_opinion(
    project_id: UUID, reapproval_id: UUID, body: ReapprovalDocumentIn, principal: allow("bdb"), session: SessionDep
):
    """R-20.2: bdb's technical review opinion on the adjusted plan."""
    await service.reapproval_technical_opinion(session, principal, str(project_id), str(reapproval_id), body)
    return await _read(session, principal, project_id, reapproval_id)


@router.post(
    "/applications/{project_id}/reapprovals/{reapproval_id}/leading-group-decision",
    response_model=ReapprovalRead,
    summary="重新审批领导小组审议",
)
async def reapproval_leading_group(
    project_id: UUID,
    reapproval_id: UUID,
    body: ReapprovalDecisionIn,
    principal: allow("leading_group"),
    session: SessionDep,
):
    """R-11.2: when the adjusted plan reaches the threshold."""
    await service.reapproval_leading_group(session, principal, str(project_id), str(reapproval_id), body)
    return await _read(session, principal, project_id, reapproval_id)


@router.post(
    "/applications/{project_id}/reapprovals/{reapproval_id}/estimate-review",
    summary="重新审批概算评审",
    response_model=ReapprovalRead,
)
async def reapproval_estimate_review(
    project_id: UUID, reapproval_id: UUID, body: ReapprovalEstimateIn, principal: allow("finance"), session: SessionDep
):
    """R-25.1: finance's review of the adjusted plan's estimate."""
    await service.reapproval_estimate_review(session, principal, str(project_id), str(reapproval_id), body)
    return await _read(session, principal, project_id, reapproval_id)


@router.post(
    "/applications/{project_id}/reapprovals/{reapproval_id}/approval-document",
    summary="重新审批批复",
    response_model=ReapprovalRead,
)
async def reapproval_document(
    project_id: UUID,
    reapproval_id: UUID,
    body: ReapprovalApprovalIn,
    principal: allow("approval_bureau"),
    session: SessionDep,
):
    """R-20.2: approval_bureau's approval document for the adjusted plan → ReapprovalApproved."""
    await service.reapproval_document(session, principal, str(project_id), str(reapproval_id), body)
    return await _read(session, principal, project_id, reapproval_id)


@router.post(
    "/applications/{project_id}/reapprovals/{reapproval_id}/reject",
    summary="重新审批不予批准",
    response_model=ReapprovalRead,
)
async def reject_reapproval(
    project_id: UUID,
    reapproval_id: UUID,
    body: ReasonsIn,
    principal: allow("bdb", "approval_bureau"),
    session: SessionDep,
):
    """R-20.2: the adjusted plan is not approved; the old approval stands."""
    await service.reject_reapproval(session, principal, str(project_id), str(reapproval_id), body.reasons)
    return await _read(session, principal, project_id, reapproval_id)
