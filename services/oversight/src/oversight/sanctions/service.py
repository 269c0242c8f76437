"""Use cases of sanctions (R-30.2): bdb applies a rung of the ladder; suspension and termination
are published so that budget, approval and acceptance obey them."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.oversight import ProjectResumed, ProjectSuspended, ProjectTerminated, SanctionApplied

from .. import clock
from ..publishing import publish
from ..rectifications import repository as rect_repo
from ..rectifications import rules as rect_rules
from ..supervision import service as supervision
from . import repository, rules
from .models import Sanction
from .schemas import ResumeIn, SanctionIn, SanctionOut, StandingOut


async def apply_sanction(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: SanctionIn
) -> SanctionOut:
    project = await supervision.visible_project(session, principal, project_id, for_update=True)
    decision = rules.check_sanction(body.level, project.standing)
    if not decision.ok:
        raise Problem(409, decision.message, rule=decision.rule, violations=[decision.as_dict()])
    r = await rect_repo.get(session, body.rectification_id)
    if r is None or r.project_id != project_id:
        raise Problem(
            422,
            "rectification_id 不是本项目的整改通知（第三十条：处理须以整改通知为据）",
            rule="R-30.2",
            violations=[
                {
                    "field": "rectification_id",
                    "message": "unknown rectification",
                    "rule": "R-30.2",
                    "article": "第三十条",
                }
            ],
        )
    today = clock.today()
    previous = [s.level for s in await repository.for_project(session, project_id)]
    opening = rect_rules.ladder_opening(status=r.status, deadline=r.deadline, answered_on=r.answered_on, as_of=today)
    rung = rules.check_rung(previous, body.level, r.escalate_to)
    failed = [d for d in (opening, rung) if not d.ok]
    if failed:
        raise Problem(
            409, "；".join(d.message for d in failed), rule="R-30.2", violations=[d.as_dict() for d in failed]
        )
    skipped = rules.skipped(previous, body.level)
    s = await repository.add(
        session,
        Sanction(
            project_id=project_id,
            level=body.level,
            reason=body.reason,
            rectification_id=body.rectification_id,
            applied_by=principal.sub,
            applied_on=today,
        ),
    )
    basis = r.escalation_basis if skipped else None
    await publish(
        session,
        SanctionApplied(
            project_id=project_id,
            level=body.level,
            reason=body.reason,
            sanction_id=str(s.id),
            rectification_id=str(body.rectification_id),
            opened_by=opening.details.get("opened_by"),
            escalation_basis=basis,
        ),
        actor=principal,
        rule="R-30.2",
    )
    project.standing = rules.standing_after(body.level, project.standing)
    if body.level == "suspend":
        await publish(
            session, ProjectSuspended(project_id=project_id, reason=body.reason), actor=principal, rule="R-30.2"
        )
    elif body.level == "terminate":
        project.terminated_on = today
        await publish(
            session, ProjectTerminated(project_id=project_id, reason=body.reason), actor=principal, rule="R-30.2"
        )
    return SanctionOut(
        id=s.id,
        project_id=project_id,
        level=s.level,
        reason=s.reason,
        rectification_id=s.rectification_id,
        applied_on=s.applied_on,
        standing=project.standing,
        expected_step=rules.next_step(previous),
        skipped_rungs=skipped,
        opened_by=opening.details.get("opened_by"),
        escalation_basis=basis,
    )


async def resume(session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: ResumeIn) -> StandingOut:
    project = await supervision.visible_project(session, principal, project_id, for_update=True)
    decision = rules.check_resume(project.standing)
    if not decision.ok:
        raise Problem(409, decision.message, rule=decision.rule)
    project.standing = "active"
    await repository.add(
        session,
        Sanction(
            project_id=project_id,
            level="resume",
            reason=body.reason or "",
            applied_by=principal.sub,
            applied_on=clock.today(),
        ),
    )
    await publish(session, ProjectResumed(project_id=project_id, reason=body.reason), actor=principal, rule="R-30.2")
    return StandingOut(project_id=project_id, standing=project.standing)


async def project_sanctions(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> dict:
    project = await supervision.visible_project(session, principal, project_id)
    rows = await repository.for_project(session, project_id)
    return {
        "project_id": project_id,
        "standing": project.standing,
        "next_step": rules.next_step(s.level for s in rows),
        "items": [
            {
                "id": s.id,
                "level": s.level,
                "label": rules.LABELS.get(s.level, "恢复建设"),
                "reason": s.reason,
                "rectification_id": s.rectification_id,
                "applied_on": s.applied_on,
            }
            for s in rows
        ],
    }
