"""Applications: thin endpoints (parse, authorise, call the service, return the schema)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery, decode_cursor, page
from govkit.versioning import IfMatch

from . import service
from .schemas import (
    ApplicationList,
    ApplicationRead,
    ApprovalDocumentIn,
    CheckList,
    ComplianceIn,
    DecisionIn,
    DocumentIn,
    ExpertReviewIn,
    MaterialIn,
    MaterialList,
    MaterialRead,
    ReasonsIn,
    ReviewRead,
)

router = APIRouter(tags=["applications"])


@router.get("/applications", summary="审批申请列表", response_model=ApplicationList)
async def list_applications(
    principal: AnyPrincipal,
    session: SessionDep,
    status: str | None = None,
    org: str | None = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
):
    after = decode_cursor(cursor)
    items = await service.list_applications(session, principal, status, org, after[0] if after else None, limit)
    return ApplicationList(**page(items, limit, lambda s: [s.project_id]))


@router.get("/applications/{project_id}", summary="审批申请详情", response_model=ApplicationRead)
async def get_application(project_id: UUID, principal: AnyPrincipal, session: SessionDep, response: Response):
    read = await service.get_application(session, principal, str(project_id))
    response.headers["ETag"] = f'"{read.version}"'
    return read


@router.post(
    "/applications/{project_id}/materials", summary="补充申报材料", response_model=MaterialRead, status_code=201
)
async def add_material(project_id: UUID, body: MaterialIn, principal: allow("unit"), session: SessionDep):
    """R-10.1 / R-7.1 / R-14.1 materials; only while the application is open."""
    return await service.add_material(session, principal, str(project_id), body)


@router.get("/applications/{project_id}/materials", summary="申报材料列表", response_model=MaterialList)
async def list_materials(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    return MaterialList(items=await service.list_materials(session, principal, str(project_id)))


@router.put("/applications/{project_id}/compliance", summary="报送合规声明", response_model=ApplicationRead)
async def declare_compliance(
    project_id: UUID, body: ComplianceIn, principal: allow("unit"), session: SessionDep, if_match: IfMatch = None
):
    """The Art. 10 declarations (R-10.2 – R-10.6, R-12.1 contents); If-Match optional."""
    app = await service.declare_compliance(session, principal, str(project_id), body, if_match)
    return await service.read_application(session, app, principal)


@router.post("/applications/{project_id}/submit", summary="提交审批", response_model=ApplicationRead)
async def submit(project_id: UUID, principal: allow("unit"), session: SessionDep):
    """Runs the automated checks and starts review (R-9.4, R-7.1, R-10.*, R-12.1, R-14.1)."""
    app = await service.submit(session, principal, str(project_id))
    return await service.read_application(session, app, principal)


@router.get("/applications/{project_id}/checks", summary="自动校验结果", response_model=CheckList)
async def list_checks(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    round_, items = await service.list_checks(session, principal, str(project_id))
    return CheckList(round=round_, items=items)


@router.post(
    "/applications/{project_id}/expert-reviews", summary="专家评审意见", response_model=ReviewRead, status_code=201
)
async def expert_review(project_id: UUID, body: ExpertReviewIn, principal: allow("bdb", "expert"), session: SessionDep):
    """R-11.1: one expert's score and opinion."""
    return await service.record_expert_review(session, principal, str(project_id), body)


@router.post("/applications/{project_id}/joint-review", summary="联合审查意见", response_model=ApplicationRead)
async def joint_review(
    project_id: UUID, body: DecisionIn, principal: allow("bdb", "approval_bureau"), session: SessionDep
):
    """R-11.1: the joint departmental review; a rejection ends the application."""
    app = await service.decide_joint_review(session, principal, str(project_id), body)
    return await service.read_application(session, app, principal)


@router.post(
    "/applications/{project_id}/leading-group-decision", summary="领导小组审议决定", response_model=ApplicationRead
)
async def leading_group_decision(
    project_id: UUID, body: DecisionIn, principal: allow("leading_group"), session: SessionDep
):
    """R-11.2: required at or above the threshold, refused (409) below it."""
    app = await service.decide_leading_group(session, principal, str(project_id), body)
    return await service.read_application(session, app, principal)


@router.post("/applications/{project_id}/technical-opinion", summary="技术审核意见", response_model=ApplicationRead)
async def technical_opinion(project_id: UUID, body: DocumentIn, principal: allow("bdb"), session: SessionDep):
    app = await service.issue_technical_opinion(session, principal, str(project_id), body)
    return await service.read_application(session, app, principal)


@router.post("/applications/{project_id}/approval-document", summary="出具项目批复", response_model=ApplicationRead)
async def approval_document(
    project_id: UUID, body: ApprovalDocumentIn, principal: allow("approval_bureau"), session: SessionDep
):
    """Approval when both documents exist and every prerequisite holds (R-25.1 at or above the threshold)."""
    app = await service.issue_approval_document(session, principal, str(project_id), body)
    return await service.read_application(session, app, principal)


@router.post("/applications/{project_id}/return-for-revision", summary="退回修改", response_model=ApplicationRead)
async def return_for_revision(
    project_id: UUID, body: ReasonsIn, principal: allow("bdb", "approval_bureau"), session: SessionDep
):
    app = await service.return_for_revision(session, principal, str(project_id), body.reasons)
    return await service.read_application(session, app, principal)


@router.post("/applications/{project_id}/reject", summary="不予批准", response_model=ApplicationRead)
async def reject(project_id: UUID, body: ReasonsIn, principal: allow("bdb", "approval_bureau"), session: SessionDep):
    """A rejection ends the application with its reasons."""
    app = await service.reject(session, principal, str(project_id), body.reasons)
    return await service.read_application(session, app, principal)
