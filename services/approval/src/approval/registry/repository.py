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


async def page_systems(session: AsyncSession, *, org: str | None, after: str | None, limit: int):
    stmt = select(RegistrySystem).order_by(RegistrySystem.id).limit(limit + 1)
    if org:
        stmt = stmt.where(RegistrySystem.org == org)
    if after:
        stmt = stmt.where(RegistrySystem.id > after)
    return (await session.scalars(stmt)).all()


async def page_catalog(session: AsyncSession, *, org: str | None, after: str | None, limit: int):
    stmt = select(CatalogItem).order_by(CatalogItem.id).limit(limit + 1)
    if org:
        stmt = stmt.where(CatalogItem.org == org)
    if after:
        stmt = stmt.where(CatalogItem.id > after)
    return (await session.scalars(stmt)).all()


def add(session: AsyncSession, obj) -> None:
    session.add(obj)
