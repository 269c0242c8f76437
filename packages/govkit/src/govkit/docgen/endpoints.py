"""`GET /projects/{project_id}/generated-documents`, mounted by each service that generates documents
(`generated_router(visible)`, `visible` being the service's own project-visibility check)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from ..auth import AnyPrincipal
from ..db import SessionDep
from ..pagination import CursorQuery, LimitQuery
from . import service
from .schemas import GeneratedList


def generated_router(visible: service.Visibility, tag: str = "generated documents") -> APIRouter:
    router = APIRouter(tags=[tag])

    @router.get(
        "/projects/{project_id}/generated-documents",
        response_model=GeneratedList,
        summary="项目的生成文书列表（文书名、编号、依据条款、DOCX/PDF 校验值与下载地址）",
    )
    async def list_generated(
        project_id: str,
        request: Request,
        session: SessionDep,
        principal: AnyPrincipal,
        kind: Annotated[
            str | None, Query(description="文书类别", json_schema_extra={"enum": list(service.KINDS)})
        ] = None,
        limit: LimitQuery = 50,
        cursor: CursorQuery = None,
    ):
        """本服务为该项目生成的文书，按生成时间先后；看不到该项目的返回 404。"""
        return await service.list_generated(
            session,
            principal,
            project_id,
            visible,
            service=request.app.state.service,
            kind=kind,
            limit=limit,
            cursor=cursor,
        )

    return router
