from __future__ import annotations

from fastapi import APIRouter

from govkit.auth import AnyPrincipal
from govkit.db import SessionDep
from govkit.params import AsOfQuery, YearQuery

from .. import clock
from . import service
from .schemas import ProjectStats

router = APIRouter(tags=["projects"])


@router.get("/stats", summary="项目统计", response_model=ProjectStats)
async def project_stats(
    principal: AnyPrincipal,
    session: SessionDep,
    org: str | None = None,
    library_year: YearQuery = None,
    as_of: AsOfQuery = None,
):
    """统计：我可见的全部项目按阶段、红黄绿灯、储备库年度、建设单位（及单位×年度）的项目数与金额，
    由数据库汇总（不分页）。授权同项目一览：全市角色看全部项目，建设单位看本单位及参与的项目。"""
    return await service.project_stats(
        session, principal, org=org, library_year=library_year, as_of=as_of or clock.today()
    )
