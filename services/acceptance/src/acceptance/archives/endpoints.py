"""The electronic archive package of a project (R-22.2)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import StreamingResponse

from govkit.auth import AnyPrincipal
from govkit.db import SessionDep
from govkit.documents.endpoints import store_of

from . import service

router = APIRouter(tags=["archives"])


@router.get("/projects/{project_id}/archive-manifest", summary="电子档案清单及档案验收预检（第二十二条）")
async def get_manifest(project_id: uuid.UUID, session: SessionDep, principal: AnyPrincipal):
    """The manifest the package would carry, and the mandatory documents still missing."""
    m, project = await service.visible_manifest(session, principal, project_id)
    return {**m, "missing": service.examine(m["documents"] + m["corrections"], project.uses_cryptography)}


@router.get(
    "/projects/{project_id}/archive-package",
    summary="下载电子档案包（ZIP：manifest.json 与全部文件）",
    responses={200: {"content": {"application/zip": {}}}},
)
async def get_package(project_id: uuid.UUID, request: Request, session: SessionDep, principal: AnyPrincipal):
    m, _ = await service.visible_manifest(session, principal, project_id)
    settings = request.app.state.settings
    return StreamingResponse(
        service.package(m, settings, store_of(request)),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="archive-{project_id}.zip"'},
    )
