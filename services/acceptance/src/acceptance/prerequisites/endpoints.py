"""Archives acceptance (R-22.1), security assessments (R-7.2), secrecy review (R-23.1)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.versioning import IfMatch

from . import service
from .schemas import ArchivesAcceptanceIn, RecordOut, SecrecyReviewIn, SecurityAssessmentIn

router = APIRouter(tags=["acceptance"])


@router.post(
    "/projects/{project_id}/archives-acceptance",
    status_code=201,
    response_model=RecordOut,
    summary="档案验收结果（第二十二条）",
)
async def post_archives(
    project_id: uuid.UUID,
    body: ArchivesAcceptanceIn,
    principal: allow("bdb", "archives", rule="R-22.1"),
    session: SessionDep,
    if_match: IfMatch = None,
):
    row = await service.record_archives(session, principal, project_id, body, if_match)
    return await service.record_out(session, row, "archives", report_no=row.report_no, on=row.accepted_on)


@router.post(
    "/projects/{project_id}/security-assessments",
    status_code=201,
    response_model=RecordOut,
    summary="网络安全测评/风险评估、密码应用安全性评估（第七条）",
)
async def post_security(
    project_id: uuid.UUID,
    body: SecurityAssessmentIn,
    principal: allow("unit", "bdb", "cac", "crypto", "police"),
    session: SessionDep,
    if_match: IfMatch = None,
):
    row = await service.record_security(session, principal, project_id, body, if_match)
    return await service.record_out(session, row, row.kind, report_no=row.report_no, on=row.assessed_on)


@router.post(
    "/projects/{project_id}/secrecy-review",
    status_code=201,
    response_model=RecordOut,
    summary="保密审查及运行管理机构或人员（第二十三条）",
)
async def post_secrecy(
    project_id: uuid.UUID,
    body: SecrecyReviewIn,
    principal: allow("secrecy"),
    session: SessionDep,
    if_match: IfMatch = None,
):
    row = await service.record_secrecy(session, principal, project_id, body, if_match)
    return await service.record_out(session, row, "secrecy", operator=row.operator, on=row.reviewed_on)


@router.get("/projects/{project_id}/prerequisites", summary="终验前置条件的全部记录")
async def get_prerequisites(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    return await service.prerequisites(session, principal, project_id)
