"""X-30.1: the acceptance clocks — what each party must act on, and the scan on demand."""

from __future__ import annotations

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.clock import today
from govkit.db import SessionDep
from govkit.pagination import LimitQuery
from govkit.params import AsOfQuery

from . import service

router = APIRouter(tags=["acceptance"])


@router.get("/clocks", summary="待办：验收期限、自评价、质保期届满、后评价、延期申请（X-30.1）")
async def my_clocks(principal: AnyPrincipal, session: SessionDep, limit: LimitQuery = 50):
    return {"items": await service.pending_for(session, principal, limit), "next_cursor": None}


@router.post("/clocks:scan", summary="立即推送到期提醒（X-30.1）")
async def scan(principal: allow("bdb", "admin", "service"), session: SessionDep, as_of: AsOfQuery = None):
    return await service.scan(session, as_of or today())
