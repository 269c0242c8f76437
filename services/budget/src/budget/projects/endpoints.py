"""Budget's view of a project: documents, approved investment, totals, what R-26.1 still lacks."""
from __future__ import annotations

from uuid import UUID

from typing import Literal

from fastapi import APIRouter

from govkit.auth import AnyPrincipal
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery, encode_cursor

from ..schemas_common import cursor_values
from . import service
from .schemas import ProjectList, ProjectRead

router = APIRouter(tags=["projects"])


@router.get("/projects/{project_id}", response_model=ProjectRead)
async def get_project(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    """`missing` lists every R-26.1 document not yet present; `blocked_by` R-30.2/R-27.1 states."""
    return await service.get_project(session, str(project_id), principal)


@router.get("/projects", response_model=ProjectList)
async def list_projects(principal: AnyPrincipal, session: SessionDep,
                        status: Literal["under_review", "approved", "suspended", "terminated", "settled"] | None = None,
                        limit: LimitQuery = 50, cursor: CursorQuery = None):
    after = cursor_values(cursor, str)
    items = await service.list_projects(session, principal, status, after[0] if after else None, limit)
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": encode_cursor([items[-1]["project_id"]]) if more and items else None}
