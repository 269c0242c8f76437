"""Excel exports of budget that are no page of a JSON list; one project's ledger exports with
`GET /projects/{id}/ledger?format=xlsx`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from govkit.auth import AnyPrincipal
from govkit.db import SessionDep
from govkit.excel import XLSX_ONLY

from . import service

router = APIRouter(tags=["exports"])


@router.get("/ledger.xlsx", summary="资金台账（Excel）", **XLSX_ONLY)
async def ledger(
    principal: AnyPrincipal,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    org: str | None = None,
):
    """资金台账：每笔支付及其项目的本年累计、累计支付（国库集中支付）；单位只看到本单位项目。"""
    return await service.citywide_ledger(session, principal, year=year, org=org)
