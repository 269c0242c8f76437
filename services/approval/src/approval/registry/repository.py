"""Every query of the registry of existing systems and the shared data catalogs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import CatalogItem, RegistrySystem


async def all_systems(session: AsyncSession) -> Sequence[RegistrySystem]:
    return (await session.scalars(select(RegistrySystem).order_by(RegistrySystem.id))).all()


async def all_catalog_items(session: AsyncSession) -> Sequence[CatalogItem]:
    return (await session.scalars(select(CatalogItem).order_by(CatalogItem.id))).all()


async def systems_by_ids(session: AsyncSession, ids: list[str]) -> dict[str, RegistrySystem]:
    if not ids:
        return {}
    rows = (await session.scalars(select(RegistrySystem).where(RegistrySystem.id.in_(ids)))).all()
    return {r.id: r for r in rows}


async def catalog_by_ids(session: AsyncSession, ids: list[str]) -> dict[str, CatalogItem]:
    if not ids:
        return {}
    rows = (await session.scalars(select(CatalogItem).where(CatalogItem.id.in_(ids)))).all()
    return {r.id: r for r in rows}


async def _page(session: AsyncSession, model, *, org: str | None, after: str | None, limit: int):
    """Keyset page of up to limit + 1 rows by id, optionally of one org."""
    stmt = select(model).order_by(model.id).limit(limit + 1)
    if org:
        stmt = stmt.where(model.org == org)
    if after:
        stmt = stmt.where(model.id > after)
    return (await session.scalars(stmt)).all()


async def page_systems(session: AsyncSession, *, org: str | None, after: str | None, limit: int):
    return await _page(session, RegistrySystem, org=org, after=after, limit=limit)


async def page_catalog(session: AsyncSession, *, org: str | None, after: str | None, limit: int):
    return await _page(session, CatalogItem, org=org, after=after, limit=limit)


def add(session: AsyncSession, obj) -> None:
    session.add(obj)
