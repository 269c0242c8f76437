"""Every query of the org registry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import OrgJurisdiction


async def get(session: AsyncSession, org: str) -> OrgJurisdiction | None:
    return await session.get(OrgJurisdiction, org)


async def add(session: AsyncSession, row: OrgJurisdiction) -> OrgJurisdiction:
    session.add(row)
    await session.flush()
    return row


async def listing(
    session: AsyncSession, jurisdiction: str | None, after: str | None, limit: int
) -> list[OrgJurisdiction]:
    stmt = select(OrgJurisdiction)
    if jurisdiction is not None:
        stmt = stmt.where(OrgJurisdiction.jurisdiction == jurisdiction)
    if after is not None:
        stmt = stmt.where(OrgJurisdiction.org > after)
    return list((await session.scalars(stmt.order_by(OrgJurisdiction.org).limit(limit + 1))).all())
