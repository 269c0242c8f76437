"""Generated documents of budget (DOCX + PDF, stored as the project's documents)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from govkit.auth import allow
from govkit.db import SessionDep
from govkit.docgen.endpoints import generated_router
from govkit.docgen.schemas import GeneratedOut, GenerateIn
from govkit.documents.endpoints import store_of

from ..documents import visible
from . import service

router = APIRouter(tags=["generated documents"])
router.include_router(generated_router(visible))  # GET /projects/{id}/generated-documents


@router.post(
    "/projects/{project_id}/documents/estimate-review",
    summary="生成概算评审意见",
    response_model=GeneratedOut,
    status_code=201,
)
async def estimate_review(
    project_id: UUID, body: GenerateIn, request: Request, principal: allow("finance"), session: SessionDep
):
    """生成概算评审意见（第二十五条）：评审完成后；DOCX 与 PDF 存为项目文件，载明评审报告编号与依据条款。"""
    return await service.estimate_review(session, store_of(request), principal, str(project_id), body)
