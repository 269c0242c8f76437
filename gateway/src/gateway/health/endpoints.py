"""`/healthz` (the whole system, no credential) and `/readyz` (this replica: the Kubernetes readiness probe)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from . import service

router = APIRouter()


@router.get("/healthz", tags=["health"], summary="整个系统的健康状况（无需凭证）")
async def healthz(request: Request):
    state = request.app.state
    return await service.system_health(state.http, state.settings, state.limiter)


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request):
    """Can this replica serve: its database answers and it has somewhere to route. The services'
    own state is /healthz's business."""
    body = await service.replica_readiness(request.app.state.sessionmaker, request.app.state.proxy)
    return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)
