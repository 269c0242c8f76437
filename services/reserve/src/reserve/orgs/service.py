"""The org registry (R-31.1): which jurisdiction a unit belongs to. A change applies to declarations
made afterwards; a declaration keeps the jurisdiction it was declared in."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.reserve import OrgJurisdictionSet
from govkit.outbox import emit
from govkit.pagination import decode_cursor, encode_cursor
from govkit.policy import normalise_jurisdiction
from govkit.versioning import check_if_match

from . import repository, rules
from .models import OrgJurisdiction
from .schemas import OrgJurisdictionIn, OrgJurisdictionList, OrgJurisdictionRead


def to_read(r: OrgJurisdiction) -> OrgJurisdictionRead:
    return OrgJurisdictionRead(
        org=r.org,
        jurisdiction=r.jurisdiction,
        name=r.name,
        updated_by=r.updated_by,
        updated_at=r.updated_at,
        version=r.version,
    )


def _valid(value: str) -> str:
    juris = normalise_jurisdiction(value)
    if juris is None:
        raise Problem(
            422,
            f"辖区“{value}”无效：应为 city（市本级）或县（市、区）行政区划代码 3209xx（第三十一条）",
            rule="R-31.1",
            violations=[
                {
                    "field": "jurisdiction",
                    "rule": "R-31.1",
                    "article": "第三十一条",
                    "message": "city or a Yancheng county code",
                }
            ],
        )
    return juris


async def set_org(
    session: AsyncSession, principal: Principal, org: str, data: OrgJurisdictionIn, if_match: str | None
) -> OrgJurisdictionRead:
    juris = _valid(data.jurisdiction)
    row = await repository.get(session, org)
    if row is None:
        row = await repository.add(
            session, OrgJurisdiction(org=org, jurisdiction=juris, name=data.name, updated_by=principal.sub)
        )
    else:
        check_if_match(if_match, row.version)
        row.jurisdiction, row.name, row.updated_by = juris, data.name or row.name, principal.sub
        await session.flush()
    await emit(session, OrgJurisdictionSet(org=org, jurisdiction=juris, name=row.name), actor=principal, rule="R-31.1")
    return to_read(row)


async def get_org(session: AsyncSession, org: str) -> OrgJurisdictionRead:
    row = await repository.get(session, org)
    if row is None:
        raise Problem(404, "该单位未登记辖区（按凭证或市本级）")
    return to_read(row)


async def list_orgs(
    session: AsyncSession, jurisdiction: str | None, limit: int, cursor: str | None
) -> OrgJurisdictionList:
    after = decode_cursor(cursor)
    rows = await repository.listing(
        session, _valid(jurisdiction) if jurisdiction is not None else None, str(after[0]) if after else None, limit
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return OrgJurisdictionList(
        items=[to_read(r) for r in rows], next_cursor=encode_cursor([rows[-1].org]) if more and rows else None
    )


async def jurisdiction_for(session: AsyncSession, principal: Principal) -> str:
    """R-31.1: the jurisdiction a unit's declaration is judged in (org registry, token claim, city)."""
    row = await repository.get(session, principal.org)
    d = rules.jurisdiction_of(row.jurisdiction if row else None, principal.jurisdiction)
    if not d.ok:
        raise Problem(422, d.message, rule="R-31.1", violations=[{**d.as_dict(), "field": "jurisdiction"}])
    return d.details["jurisdiction"]
