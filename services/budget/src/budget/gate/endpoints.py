"""Budget's view of a project: documents, approved investment, totals, what R-26.1 still lacks."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter

from govkit import clock
from govkit.auth import AnyPrincipal
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery, encode_cursor
from govkit.params import AsOfQuery

from ..projects.schemas import ProjectList, ProjectRead
from ..schemas_common import cursor_values
from . import service

router = APIRouter(tags=["projects"])


@router.get("/projects/{project_id}", summary="项目支付条件", response_model=ProjectRead)
async def get_project(project_id: UUID, principal: AnyPrincipal, session: SessionDep, as_of: AsOfQuery = None):
    """`missing` lists every reason the project cannot be paid yet — each R-26.1 document, the R-4.2
    plan line and the R-5.1 confirmed request of `as_of`'s year — with the rule, the article and who
    provides it (`provided_by`); `blocked_by` R-30.2/R-27.1 states."""
    return await service.get_project(session, str(project_id), principal, as_of or clock.today())


@router.get("/projects", summary="资金项目列表", response_model=ProjectList)
async def list_projects(
    principal: AnyPrincipal,
    session: SessionDep,
    status: Literal["under_review", "approved", "suspended", "terminated", "final_accepted", "settled"] | None = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    as_of: AsOfQuery = None,
):
    after = cursor_values(cursor, str)
    items = await service.list_projects(
        session, principal, status, after[0] if after else None, limit, as_of or clock.today()
    )
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": encode_cursor([items[-1]["project_id"]]) if more and items else None}
