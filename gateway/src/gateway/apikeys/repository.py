"""Every query of the API keys."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import ApiKey


async def get(session: AsyncSession, api_key_id: str) -> ApiKey | None:
    return await session.get(ApiKey, api_key_id)


async def by_hash(session: AsyncSession, key_hash: str) -> ApiKey | None:
    return await session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))


async def add(session: AsyncSession, row: ApiKey) -> ApiKey:
    session.add(row)
    await session.flush()
    return row


async def page(session: AsyncSession, *, include_revoked: bool, after_id: str | None, limit: int) -> list[ApiKey]:
    """Up to `limit + 1` keys in id order after `after_id` (the extra one tells there is a next page)."""
    stmt = select(ApiKey)
    if not include_revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    if after_id:
        stmt = stmt.where(ApiKey.id > after_id)
    return list((await session.scalars(stmt.order_by(ApiKey.id).limit(limit + 1))).all())
