"""Generated documents of approval (DOCX + PDF, stored as the project's documents)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import ConfigDict, Field

from govkit.auth import allow
from govkit.db import SessionDep
from govkit.docgen.endpoints import generated_router
from govkit.docgen.schemas import GeneratedOut, GenerateIn
from govkit.documents.endpoints import store_of

from ..documents import visible
from . import service

router = APIRouter(tags=["generated documents"])
router.include_router(generated_router(visible))  # GET /projects/{id}/generated-documents


class ApprovalDraftIn(GenerateIn):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"document_no": "盐审批〔2027〕34号", "construction_months": 12, "opinion": "同意建设"}]
        }
    )
    construction_months: int | None = Field(None, ge=1, le=120, description="建设周期（月），缺省取批复记录")


@router.post(
    "/applications/{project_id}/documents/technical-opinion",
    summary="生成技术审核意见",
    response_model=GeneratedOut,
    status_code=201,
)
async def technical_opinion(
    project_id: UUID, body: GenerateIn, request: Request, principal: allow("bdb"), session: SessionDep
):
    """生成技术审核意见（第十条、第十一条）：DOCX 与 PDF，存为项目文件（SHA-256、SM3），载明文书编号与依据条款。"""
    return await service.technical_opinion(session, store_of(request), principal, str(project_id), body)


@router.post(
    "/applications/{project_id}/documents/approval-draft",
    summary="生成项目批复草稿",
    response_model=GeneratedOut,
    status_code=201,
)
async def approval_draft(
    project_id: UUID, body: ApprovalDraftIn, request: Request, principal: allow("approval_bureau"), session: SessionDep
):
    """生成项目批复（草稿）：技术审核意见之后；达到概算评审金额的，评审金额即批复投资（第二十五条）。"""
    return await service.approval_draft(session, store_of(request), principal, str(project_id), body)
