"""Loading a project for a read or a step: visibility (404), If-Match (412), suspension (R-30.2)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.versioning import check_if_match

from . import repository
from .models import AcceptanceProject
from .rules import check_active


async def load_visible(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, *, for_update: bool = False
) -> AcceptanceProject:
    """The project as this principal may see it; 404 when unknown, not yet approved, or another unit's."""
    project = await repository.get(session, project_id, for_update=for_update)
    if project is None or project.path is None:
        raise Problem(404, "项目不存在或尚未批复")
    builder = principal.has("big_data_group") and project.built_by_big_data_group  # 代建: the builder sees it
    if not builder:
        principal.ensure_can_see(project.orgs)
    return project


def ensure_active(project: AcceptanceProject) -> None:
    decision = check_active(project.status)
    if not decision.ok:
        raise Problem(409, decision.message, rule=decision.rule, status_reason=project.status_reason)


async def load_for_step(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, if_match: str | None
) -> AcceptanceProject:
    project = await load_visible(session, principal, project_id, for_update=True)
    check_if_match(if_match, project.version)
    ensure_active(project)
    return project
