"""The org registry's jurisdictions (R-31.1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery
from govkit.policy import JURISDICTION_PATTERN
from govkit.versioning import IfMatch

from . import service
from .schemas import OrgJurisdictionIn, OrgJurisdictionList, OrgJurisdictionRead

router = APIRouter(prefix="/orgs", tags=["orgs"])
Org = Annotated[str, Path(min_length=1, max_length=80)]


@router.put("/{org}", summary="设置单位所属区划", response_model=OrgJurisdictionRead)
async def set_org(
    org: Org,
    data: OrgJurisdictionIn,
    session: SessionDep,
    principal: allow("admin", rule="R-31.1"),
    if_match: IfMatch = None,
):
    """admin records the jurisdiction a unit belongs to (市本级 or a county code); it decides the
    policy of the unit's later declarations (before the token's `jurisdiction` claim)."""
    return await service.set_org(session, principal, org, data, if_match)


@router.get("", summary="单位列表", response_model=OrgJurisdictionList)
async def list_orgs(
    session: SessionDep,
    _: AnyPrincipal,
    jurisdiction: Annotated[
        str | None,
        Query(
            description="辖区：city（市本级）或县（市、区）代码 3209xx（第三十一条）",
            json_schema_extra={"pattern": JURISDICTION_PATTERN},
        ),
    ] = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
):
    return await service.list_orgs(session, jurisdiction, limit, cursor)


@router.get("/{org}", summary="单位所属区划", response_model=OrgJurisdictionRead)
async def get_org(org: Org, session: SessionDep, _: AnyPrincipal):
    return await service.get_org(session, org)
