from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from govkit.auth import allow
from govkit.db import SessionDep

from . import service
from .schemas import RebuildJobOut

router = APIRouter(tags=["projects"])


@router.post("/projects:rebuild", summary="重建全流程视图", status_code=202, response_model=RebuildJobOut)
async def request_rebuild(request: Request, response: Response, principal: allow("admin", "bdb"), session: SessionDep):
    """从各服务的事件日志重建全流程视图与时间线（后台任务）：立即返回任务，`Location` 指向其状态。"""
    job = await service.request(session, principal)
    request.app.state.rebuild_wake.set()
    response.headers["Location"] = f"/api/v1/oversight/rebuilds/{job.id}"
    return job


@router.get("/rebuilds/{job_id}", summary="重建任务状态", response_model=RebuildJobOut)
async def get_rebuild(job_id: uuid.UUID, principal: allow("admin", "bdb"), session: SessionDep):
    """重建任务的状态与进度。"""
    return await service.get(session, job_id)
