"""The registry of existing systems and the shared data catalogs: bulk import (bdb), lists."""

from __future__ import annotations

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery, decode_cursor, page

from . import service
from .schemas import BulkResult, CatalogBulkIn, CatalogItemList, SystemList, SystemsBulkIn

router = APIRouter(tags=["registry"])


@router.post("/registry/systems:bulk", summary="批量写入已建系统清单", response_model=BulkResult, status_code=200)
async def import_systems(body: SystemsBulkIn, principal: allow("bdb", "bdc"), session: SessionDep):
    """Load or update existing systems (R-10.3); ids given are upserted."""
    return await service.import_systems(session, principal, body.items)


@router.get("/registry/systems", summary="已建系统清单", response_model=SystemList)
async def list_systems(
    _: AnyPrincipal, session: SessionDep, org: str | None = None, limit: LimitQuery = 50, cursor: CursorQuery = None
):
    after = decode_cursor(cursor)
    items = await service.list_systems(session, org, after[0] if after else None, limit)
    return SystemList(**page(items, limit, lambda s: [s.id]))


@router.post("/catalogs/items:bulk", summary="批量写入公共数据资源目录", response_model=BulkResult, status_code=200)
async def import_catalog(body: CatalogBulkIn, principal: allow("bdb", "bdc"), session: SessionDep):
    """Load or update shared data catalog entries (R-6.1: share type and open type required)."""
    return await service.import_catalog(session, principal, body.items)


@router.get("/catalogs/items", summary="公共数据资源目录", response_model=CatalogItemList)
async def list_catalog(
    _: AnyPrincipal, session: SessionDep, org: str | None = None, limit: LimitQuery = 50, cursor: CursorQuery = None
):
    after = decode_cursor(cursor)
    items = await service.list_catalog(session, org, after[0] if after else None, limit)
    return CatalogItemList(**page(items, limit, lambda s: [s.id]))
