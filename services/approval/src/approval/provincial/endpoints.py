"""The provincial platform's callback (no JWT: an HMAC signature over timestamp and raw body)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request

from govkit.db import SessionDep

from . import service

router = APIRouter(tags=["provincial"])


@router.post(
    "/callbacks/provincial/project-code",
    summary="省平台项目代码回调",
    responses={401: {"description": "签名头缺失、签名无效、时间戳过期或重放（X-Timestamp、X-Signature）"}},
)
async def project_code_callback(
    request: Request,
    session: SessionDep,
    x_timestamp: Annotated[str | None, Header()] = None,
    x_signature: Annotated[str | None, Header()] = None,
):
    """R-13.1: the platform's project code; bad/stale signature or replay → 401; bad shape → 422 (X-13.1)."""
    body = await request.body()
    return await service.receive_code(session, request.app.state.settings, body, x_timestamp, x_signature)
