"""X-30.1: the oversight clocks — what each party must act on, and the scan on demand."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.params import AsOfQuery

from .. import clock
from . import service

router = APIRouter(tags=["clocks"])


@router.get("/clocks", summary="待办：季度进展报送、限期整改、整改核查（X-30.1）")
async def my_clocks(principal: AnyPrincipal, session: SessionDep, limit: Annotated[int, Query(ge=1, le=200)] = 50):
    return {"items": await service.pending_for(session, principal, limit), "next_cursor": None}


@router.post("/clocks:scan", summary="立即推送到期提醒（X-30.1）")
async def scan(principal: allow("bdb", "admin", "service"), session: SessionDep, as_of: AsOfQuery = None):
    return await service.scan(session, as_of or clock.today())
