"""`/api/v1/admin/api-keys`: issue, list, read and revoke the API keys of departmental systems (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Request

from govkit.auth import allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery

from . import service
from .schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPage, ApiKeyRead

router = APIRouter(prefix="/api/v1/admin/api-keys", tags=["admin"])
Admin = allow("admin")
KeyId = Annotated[str, Path(max_length=36)]


@router.post("", status_code=201, response_model=ApiKeyCreated, summary="签发 API key（admin）")
async def create_api_key(body: ApiKeyCreate, principal: Admin, session: SessionDep, request: Request):
    return await service.create(session, body, principal, request.app.state.authenticator.hash_key)


@router.get("", response_model=ApiKeyPage, summary="API key 列表（admin）")
async def list_api_keys(
    principal: Admin,
    session: SessionDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    include_revoked: bool = False,
):
    return await service.list_keys(session, limit=limit, cursor=cursor, include_revoked=include_revoked)


@router.get("/{api_key_id}", response_model=ApiKeyRead, summary="API key 详情（admin）")
async def get_api_key(api_key_id: KeyId, principal: Admin, session: SessionDep):
    return await service.get(session, api_key_id)


@router.delete("/{api_key_id}", response_model=ApiKeyRead, summary="吊销 API key（admin）")
async def revoke_api_key(
    api_key_id: KeyId, principal: Admin, session: SessionDep, request: Request, background: BackgroundTasks
):
    key, key_hash = await service.revoke(session, api_key_id, principal)
    authenticator = request.app.state.authenticator
    authenticator.forget_key(key_hash)
    background.add_task(authenticator.forget_key, key_hash)  # again, after the commit
    return key
