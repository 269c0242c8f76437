from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from govkit import clock
from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery
from govkit.params import AsOfQuery, YearQuery

from . import service
from .schemas import WindowCreate, WindowList, WindowRead

router = APIRouter(prefix="/windows", tags=["windows"])


@router.post("", summary="开放申报窗口", status_code=201, response_model=WindowRead)
async def open_window(data: WindowCreate, session: SessionDep, principal: allow("bdb")):
    """bdb opens the annual window (R-8.1) or a half-yearly supplement window (R-9.1)."""
    return await service.open_window(session, principal, data)


@router.get("", summary="申报窗口列表", response_model=WindowList)
async def list_windows(
    session: SessionDep,
    _: AnyPrincipal,
    library_year: YearQuery = None,
    kind: Literal["annual", "supplement"] | None = None,
    as_of: AsOfQuery = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
):
    return await service.list_windows(
        session, library_year=library_year, kind=kind, as_of=as_of or clock.today(), limit=limit, cursor=cursor
    )


@router.get("/{window_id}", summary="申报窗口详情", response_model=WindowRead)
async def get_window(window_id: str, session: SessionDep, _: AnyPrincipal, as_of: AsOfQuery = None):
    return await service.get_window(session, window_id, as_of or clock.today())
