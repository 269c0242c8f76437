"""Next year's O&M funding per project (R-28.1)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from govkit.auth import AnyPrincipal
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery

from . import service
from .schemas import OperationFundingList

router = APIRouter(tags=["operation-funding"])


@router.get("/operation-funding", summary="运维经费安排", response_model=OperationFundingList)
async def list_operation_funding(
    principal: AnyPrincipal,
    session: SessionDep,
    year: int | None = Query(None, ge=2000, le=2100),
    decision: Literal["funded", "reduced", "none"] | None = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
):
    """Each project's O&M funding decision for `year`, with its rating and basis."""
    return await service.list_operation_funding(session, principal, year, decision, cursor, limit)
