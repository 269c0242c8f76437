"""API keys of departmental back-end systems (`X-API-Key`), managed by `admin`.
The key is shown once at creation; only its HMAC-SHA256 (keyed by a pepper) is stored. Every change
is an entry of the gateway's audit chain (`govkit.outbox.append`, never published)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.db import utcnow
from govkit.errors import Problem, not_found
from govkit.outbox import append
from govkit.pagination import decode_cursor, page

from . import repository
from .models import ApiKey
from .schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPage, ApiKeyRead

KEY_PREFIX = "gpk_"


def new_api_key() -> tuple[str, str]:
    """(full key shown once, public prefix). 32 random bytes: hashing with sha256 is enough."""
    prefix = secrets.token_hex(4)
    return f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}", f"{KEY_PREFIX}{prefix}"


async def create(
    session: AsyncSession, body: ApiKeyCreate, principal: Principal, hash_key: Callable[[str], str]
) -> ApiKeyCreated:
    if body.expires_at is not None and body.expires_at <= utcnow():
        raise Problem(422, "expires_at 须晚于现在", violations=[{"field": "expires_at", "message": "in the past"}])
    key, prefix = new_api_key()
    row = await repository.add(
        session,
        ApiKey(
            id=str(uuid.uuid4()),
            name=body.name,
            org=body.org,
            roles=body.roles,
            prefix=prefix,
            key_hash=hash_key(key),
            created_at=utcnow(),
            created_by=principal.sub,
            expires_at=body.expires_at,
        ),
    )
    await append(
        session,
        "ApiKeyCreated",
        {"api_key_id": row.id, "name": row.name, "org": row.org, "roles": row.roles, "prefix": prefix},
        actor=principal,
        subject=row.id,
        published=True,
    )
    return ApiKeyCreated.of(row, key=key)


async def list_keys(session: AsyncSession, *, limit: int, cursor: str | None, include_revoked: bool) -> ApiKeyPage:
    after = decode_cursor(cursor)
    rows = await repository.page(
        session, include_revoked=include_revoked, after_id=str(after[0]) if after else None, limit=limit
    )
    return ApiKeyPage(**page([ApiKeyRead.of(r) for r in rows], limit, lambda k: [k.id]))


async def get(session: AsyncSession, api_key_id: str) -> ApiKeyRead:
    row = await repository.get(session, api_key_id)
    if row is None:
        raise not_found("API key")
    return ApiKeyRead.of(row)


async def revoke(session: AsyncSession, api_key_id: str, principal: Principal) -> tuple[ApiKeyRead, str]:
    """Revoke a key (once; again is a no-op). Returns the key and its hash, for the caller to forget."""
    row = await repository.get(session, api_key_id)
    if row is None:
        raise not_found("API key")
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by = utcnow(), principal.sub
        await append(session, "ApiKeyRevoked", {"api_key_id": row.id}, actor=principal, subject=row.id, published=True)
    return ApiKeyRead.of(row), row.key_hash
