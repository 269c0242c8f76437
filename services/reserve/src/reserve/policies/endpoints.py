"""Policy versions (R-31.1, R-33.1): public at /api/v1/policies (the gateway routes it here)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from govkit import clock
from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.policy import JURISDICTION_PATTERN

from . import service
from .schemas import PolicyVersionCreate, PolicyVersionList, PolicyVersionRead

router = APIRouter(prefix="/policies", tags=["policies"])
Jurisdiction = Annotated[
    str,
    Query(
        description="辖区：city（市本级）或县（市、区）代码 3209xx（第三十一条）",
        json_schema_extra={"pattern": JURISDICTION_PATTERN},
    ),
]


@router.post("", summary="新增政策版本", status_code=201, response_model=PolicyVersionRead)
async def add_version(data: PolicyVersionCreate, session: SessionDep, principal: allow("admin", rule="R-31.1")):
    """R-31.1: a county's own measure (or a later city version) as a new version from `effective_from`
    (today or later, R-33.1); parameters not given are those of the version in force there on that
    date. Published to every service (`PolicyVersionAdded`). Never edited: a change is a new version."""
    return await service.add_version(session, principal, data)


@router.get("", summary="政策版本列表", response_model=PolicyVersionList)
async def list_versions(session: SessionDep, _: AnyPrincipal, jurisdiction: Jurisdiction | None = None):
    """Every version, built in and added, by jurisdiction and effective date."""
    return await service.list_versions(session, jurisdiction)


@router.get("/in-force", summary="现行政策版本", response_model=PolicyVersionRead)
async def in_force(session: SessionDep, _: AnyPrincipal, jurisdiction: Jurisdiction = "city", on: date | None = None):
    """The version that judges a project of `jurisdiction` declared on `on` (default today), R-33.1."""
    return await service.in_force(session, jurisdiction, on or clock.today())
