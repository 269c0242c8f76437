"""Use cases of the supervised project: start supervision on approval, stop reporting on final
acceptance, and the access checks every oversight endpoint shares."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.acceptance import FinalAccepted
from govkit.events.approval import ProjectApproved

from . import repository
from .models import SupervisedProject


async def start_supervision(session: AsyncSession, data: ProjectApproved) -> None:
    """ProjectApproved: construction supervision and the quarterly schedule start (R-15.1, R-18.1)."""
    project = await repository.get_or_stub(session, data.project_id)
    project.org = data.org
    project.participant_orgs = list(data.participant_orgs or [])
    project.title = data.title
    project.jurisdiction = data.jurisdiction or "city"
    project.approved_on = data.approved_on
    project.declared_on = data.declared_on
    project.approved_investment = data.approved_investment


async def stop_reporting(session: AsyncSession, data: FinalAccepted) -> None:
    """FinalAccepted: no quarterly report is owed after it (R-18.1)."""
    project = await repository.get_or_stub(session, data.project_id)
    project.final_accepted_on = data.accepted_on
    if not project.org:
        project.org = data.org
    if not project.title:
        project.title = data.title


async def visible_project(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, *, for_update: bool = False
) -> SupervisedProject:
    """The approved project as seen by `principal`: 404 if unknown or another unit's."""
    project = await repository.get(session, project_id, for_update=for_update)
    if project is None or not project.approved:
        raise Problem(404, "项目不存在或尚未批复")
    principal.ensure_can_see(project.orgs)
    return project


def ensure_not_terminated(project: SupervisedProject) -> None:
    if project.standing == "terminated":
        raise Problem(409, "项目已终止，不能继续办理（第三十条）", rule="R-30.2")
