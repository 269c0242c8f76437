from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from govkit import clock
from govkit.auth import AnyPrincipal
from govkit.db import SessionDep
from govkit.params import AsOfQuery

from ..common import SettingsDep
from . import service

router = APIRouter(prefix="/clocks", tags=["clocks"])


@router.get("", summary="储备时限提醒", response_model=service.Clocks)
async def clocks(
    session: SessionDep,
    principal: AnyPrincipal,
    settings: SettingsDep,
    as_of: AsOfQuery = None,
    within_days: Annotated[int | None, Query(ge=0, le=366)] = None,
    overdue: bool = False,
):
    """X-30.1: windows closing within `within_days` days and declarations awaiting decisions, with due dates."""
    return await service.clocks(
        session,
        principal,
        as_of or clock.today(),
        settings.window_warning_days if within_days is None else within_days,
        settings.special_addition_consultation_days,
        overdue_only=overdue,
    )
