"""Loading and maintaining the registry of existing systems and the shared data catalogs."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.approval import CatalogItemsImported, RegistrySystemAdded
from govkit.outbox import emit

from . import repository as repo
from .models import CatalogItem, RegistrySystem
from .schemas import CatalogItemRead, SystemRead


def _unique_ids(ids: list[str | None], what: str) -> None:
    given = [i for i in ids if i]
    if len(given) != len(set(given)):
        raise Problem(422, f"{what}中存在重复的 id", violations=[{"field": "items.id", "message": "duplicate id"}])


async def import_systems(session: AsyncSession, principal: Principal, items) -> dict:
    _unique_ids([i.id for i in items], "系统清单")
    existing = await repo.systems_by_ids(session, [i.id for i in items if i.id])
    created = updated = 0
    ids = []
    for item in items:
        sid = item.id or str(uuid.uuid4())
        row = existing.get(sid)
        if row is None:
            row = RegistrySystem(id=sid, source="import")
            repo.add(session, row)
            created += 1
        else:
            updated += 1
        row.org, row.name, row.functions = item.org, item.name, list(item.functions)
        row.data_items, row.is_platform = list(item.data_items), item.is_platform
        ids.append(sid)
        await emit(
            session,
            RegistrySystemAdded(system_id=sid, org=item.org, name=item.name, source="import"),
            actor=principal,
            rule="R-10.3",
        )
    await session.flush()
    return {"created": created, "updated": updated, "ids": ids}


async def import_catalog(session: AsyncSession, principal: Principal, items) -> dict:
    _unique_ids([i.id for i in items], "目录清单")
    existing = await repo.catalog_by_ids(session, [i.id for i in items if i.id])
    created = updated = 0
    ids = []
    for item in items:
        cid = item.id or str(uuid.uuid4())
        row = existing.get(cid)
        if row is None:
            row = CatalogItem(id=cid)
            repo.add(session, row)
            created += 1
        else:
            updated += 1
        row.org, row.catalog, row.name = item.org, item.catalog, item.name
        row.share_type, row.open_type = item.share_type, item.open_type
        ids.append(cid)
    await session.flush()
    await emit(
        session,
        CatalogItemsImported(count=len(items), orgs=sorted({i.org for i in items})),
        actor=principal,
        rule="R-6.1",
    )
    return {"created": created, "updated": updated, "ids": ids}


async def add_accepted_system(
    session: AsyncSession,
    project_id: str,
    org: str,
    name: str,
    functions: list[str],
    data_items: list[str],
    is_platform: bool,
) -> None:
    """FinalAccepted: the accepted system joins the registry (R-10.3). Redelivery: no-op."""
    sid = f"project:{project_id}"
    if await repo.systems_by_ids(session, [sid]):
        return
    repo.add(
        session,
        RegistrySystem(
            id=sid,
            org=org,
            name=name,
            functions=functions,
            data_items=data_items,
            is_platform=is_platform,
            source="final_acceptance",
            project_id=project_id,
        ),
    )
    await session.flush()
    await emit(
        session,
        RegistrySystemAdded(
            project_id=uuid.UUID(project_id), system_id=sid, org=org, name=name, source="final_acceptance"
        ),
        actor="approval",
        rule="R-10.3",
    )


async def list_systems(session: AsyncSession, org: str | None, after: str | None, limit: int) -> list[SystemRead]:
    """Up to `limit` + 1 systems after `after` (the last one only says there are more)."""
    rows = await repo.page_systems(session, org=org, after=after, limit=limit)
    return [SystemRead.model_validate(r, from_attributes=True) for r in rows]


async def list_catalog(session: AsyncSession, org: str | None, after: str | None, limit: int) -> list[CatalogItemRead]:
    rows = await repo.page_catalog(session, org=org, after=after, limit=limit)
    return [CatalogItemRead.model_validate(r, from_attributes=True) for r in rows]
