"""Generated documents of acceptance (DOCX + PDF, stored as the project's documents)."""

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
    "/projects/{project_id}/documents/acceptance-opinion",
    summary="生成验收意见",
    response_model=GeneratedOut,
    status_code=201,
)
async def acceptance_opinion(
    project_id: UUID, body: GenerateIn, request: Request, principal: allow("unit", "bdb"), session: SessionDep
):
    """生成验收意见（第二十一条、第二十二条）：最近通过的初验或终验，由该阶段的牵头方生成；DOCX 与 PDF 存为项目文件。"""
    return await service.acceptance_opinion(session, store_of(request), principal, project_id, body)
