"""Use cases of sanctions (R-30.2): bdb applies a rung of the ladder; suspension and termination
are published so that budget, approval and acceptance obey them."""
from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from .. import clock
from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.oversight import ProjectResumed, ProjectSuspended, ProjectTerminated, SanctionApplied

from ..publishing import publish
from ..rectifications import repository as rect_repo
from ..supervision import service as supervision
from . import repository, rules
from .models import Sanction
from .schemas import ResumeIn, SanctionIn, SanctionOut, StandingOut


async def apply_sanction(session: AsyncSession, principal: Principal, project_id: uuid.UUID,
                         body: SanctionIn) -> SanctionOut:
    project = await supervision.visible_project(session, principal, project_id, for_update=True)
    decision = rules.check_sanction(body.level, project.standing)
    if not decision.ok:
        raise Problem(409, decision.message, rule=decision.rule)
    if body.rectification_id is not None:
        r = await rect_repo.get(session, body.rectification_id)
        if r is None or r.project_id != project_id:
            raise Problem(422, "rectification_id 不是本项目的整改通知",
                          violations=[{"field": "rectification_id", "message": "unknown rectification"}])
    previous = [s.level for s in await repository.for_project(session, project_id)]
    today = clock.today()
    s = await repository.add(session, Sanction(project_id=project_id, level=body.level, reason=body.reason,
                                               rectification_id=body.rectification_id, applied_by=principal.sub,
                                               applied_on=today))
    await publish(session, SanctionApplied(project_id=project_id, level=body.level, reason=body.reason,
                                           sanction_id=str(s.id),
                                           rectification_id=str(body.rectification_id) if body.rectification_id else None),
                  actor=principal, rule="R-30.2")
    project.standing = rules.standing_after(body.level, project.standing)
    if body.level == "suspend":
        await publish(session, ProjectSuspended(project_id=project_id, reason=body.reason), actor=principal,
                      rule="R-30.2")
    elif body.level == "terminate":
        project.terminated_on = today
        await publish(session, ProjectTerminated(project_id=project_id, reason=body.reason), actor=principal,
                      rule="R-30.2")
    return SanctionOut(id=s.id, project_id=project_id, level=s.level, reason=s.reason,
                       rectification_id=s.rectification_id, applied_on=s.applied_on, standing=project.standing,
                       expected_step=rules.next_step(previous),
                       skipped_rungs=rules.skipped(previous, body.level))


async def resume(session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: ResumeIn) -> StandingOut:
    project = await supervision.visible_project(session, principal, project_id, for_update=True)
    decision = rules.check_resume(project.standing)
    if not decision.ok:
        raise Problem(409, decision.message, rule=decision.rule)
    project.standing = "active"
    await repository.add(session, Sanction(project_id=project_id, level="resume", reason=body.reason or "",
                                           applied_by=principal.sub, applied_on=clock.today()))
    await publish(session, ProjectResumed(project_id=project_id, reason=body.reason), actor=principal, rule="R-30.2")
    return StandingOut(project_id=project_id, standing=project.standing)


async def project_sanctions(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> dict:
    project = await supervision.visible_project(session, principal, project_id)
    rows = await repository.for_project(session, project_id)
    return {"project_id": project_id, "standing": project.standing,
            "next_step": rules.next_step(s.level for s in rows),
            "items": [{"id": s.id, "level": s.level, "label": rules.LABELS.get(s.level, "恢复建设"),
                       "reason": s.reason, "rectification_id": s.rectification_id, "applied_on": s.applied_on}
                      for s in rows]}
