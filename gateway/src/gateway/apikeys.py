"""API keys of departmental back-end systems (`X-API-Key`), managed by `admin`.
The key is shown once at creation; only its HMAC-SHA256 (keyed by a pepper) is stored."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select

from govkit.auth import ALL_ROLES, allow
from govkit.db import SessionDep, utcnow
from govkit.errors import Problem, not_found
from govkit.pagination import CursorQuery, LimitQuery, decode_cursor, page

from . import audit
from .auth import new_api_key
from .models import ApiKey

router = APIRouter(prefix="/api/v1/admin/api-keys", tags=["admin"])
Admin = allow("admin")


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200, examples=["市财政局财务系统"])
    org: str = Field(min_length=1, max_length=80, examples=["ORG-FIN"])
    roles: list[str] = Field(min_length=1, max_length=20, examples=[["finance"]])
    expires_at: datetime | None = None

    @field_validator("roles")
    @classmethod
    def _roles(cls, v: list[str]) -> list[str]:
        unknown = sorted(set(v) - ALL_ROLES)
        if unknown:
            raise ValueError(f"未知角色：{', '.join(unknown)}")
        if "admin" in v:
            raise ValueError("API key 不能具有 admin 角色")
        return sorted(set(v))

    @field_validator("expires_at")
    @classmethod
    def _tz(cls, v: datetime | None) -> datetime | None:
        if v is not None and v.tzinfo is None:
            raise ValueError("须带时区")
        return v


class ApiKeyRead(BaseModel):
    id: str
    name: str
    org: str
    roles: list[str]
    prefix: str
    created_at: datetime
    created_by: str
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="完整密钥，仅此一次返回")


class ApiKeyPage(BaseModel):
    items: list[ApiKeyRead]
    next_cursor: str | None


def _read(k: ApiKey) -> dict:
    return dict(
        id=k.id,
        name=k.name,
        org=k.org,
        roles=k.roles,
        prefix=k.prefix,
        created_at=k.created_at,
        created_by=k.created_by,
        expires_at=k.expires_at,
        revoked_at=k.revoked_at,
    )


KeyId = Annotated[str, Path(max_length=36)]


@router.post("", status_code=201, response_model=ApiKeyCreated, summary="签发 API key（admin）")
async def create_api_key(body: ApiKeyCreate, principal: Admin, session: SessionDep, request: Request):
    if body.expires_at is not None and body.expires_at <= utcnow():
        raise Problem(422, "expires_at 须晚于现在", violations=[{"field": "expires_at", "message": "in the past"}])
    key, prefix = new_api_key()
    row = ApiKey(
        id=str(uuid.uuid4()),
        name=body.name,
        org=body.org,
        roles=body.roles,
        prefix=prefix,
        key_hash=request.app.state.authenticator.hash_key(key),
        created_at=utcnow(),
        created_by=principal.sub,
        expires_at=body.expires_at,
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        "ApiKeyCreated",
        {"api_key_id": row.id, "name": row.name, "org": row.org, "roles": row.roles, "prefix": prefix},
        principal,
        subject=row.id,
    )
    return ApiKeyCreated(**_read(row), key=key)


@router.get("", response_model=ApiKeyPage, summary="API key 列表（admin）")
async def list_api_keys(
    principal: Admin,
    session: SessionDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    include_revoked: bool = False,
):
    stmt = select(ApiKey)
    if not include_revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    after = decode_cursor(cursor)
    if after:
        stmt = stmt.where(ApiKey.id > str(after[0]))
    rows = (await session.scalars(stmt.order_by(ApiKey.id).limit(limit + 1))).all()
    return page([ApiKeyRead(**_read(r)) for r in rows], limit, lambda k: [k.id])


@router.get("/{api_key_id}", response_model=ApiKeyRead, summary="API key 详情（admin）")
async def get_api_key(api_key_id: KeyId, principal: Admin, session: SessionDep):
    row = await session.get(ApiKey, api_key_id)
    if row is None:
        raise not_found("API key")
    return ApiKeyRead(**_read(row))


@router.delete("/{api_key_id}", response_model=ApiKeyRead, summary="吊销 API key（admin）")
async def revoke_api_key(
    api_key_id: KeyId, principal: Admin, session: SessionDep, request: Request, background: BackgroundTasks
):
    row = await session.get(ApiKey, api_key_id)
    if row is None:
        raise not_found("API key")
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by = utcnow(), principal.sub
        await audit.record(session, "ApiKeyRevoked", {"api_key_id": row.id}, principal, subject=row.id)
    request.app.state.authenticator.forget_key(row.key_hash)
    background.add_task(request.app.state.authenticator.forget_key, row.key_hash)  # again, after the commit
    return ApiKeyRead(**_read(row))
