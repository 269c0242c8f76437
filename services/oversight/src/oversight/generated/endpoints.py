"""Generated documents of oversight (DOCX + PDF, stored as the project's documents)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from govkit.auth import allow
from govkit.db import SessionDep
from govkit.docgen.endpoints import generated_router
from govkit.docgen.schemas import GeneratedOut, GenerateIn
from govkit.documents.endpoints import store_of

from ..documents import visible
from ..rectifications.rules import ORDERING_ROLES
from . import service

router = APIRouter(tags=["generated documents"])
router.include_router(generated_router(visible))  # GET /projects/{id}/generated-documents


@router.post(
    "/rectifications/{rectification_id}/documents/notice",
    summary="生成整改通知书",
    response_model=GeneratedOut,
    status_code=201,
)
async def rectification_notice(
    rectification_id: UUID, body: GenerateIn, request: Request, principal: allow(*ORDERING_ROLES), session: SessionDep
):
    """生成整改通知书（第三十条）：由下达整改的部门生成；DOCX 与 PDF 存为项目文件（类别 rectification_order）。"""
    return await service.rectification_notice(session, store_of(request), principal, rectification_id, body)
