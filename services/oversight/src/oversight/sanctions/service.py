"""Use cases of sanctions (R-30.2): bdb applies a rung of the ladder; suspension and termination
are published so that budget, approval and acceptance obey them."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.oversight import ProjectResumed, ProjectSuspended, ProjectTerminated, SanctionApplied
from govkit.pagination import decode_cursor, encode_cursor

from .. import clock
from ..publishing import publish
from ..rectifications import repository as rect_repo
from ..rectifications import rules as rect_rules
from ..rectifications.schemas import OverdueRectification
from ..rectifications.service import to_out as rectification_out
from ..supervision import repository as supervision_repo
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


async def overdue(session: AsyncSession, principal: Principal, as_of: date, limit: int, cursor: str | None) -> dict:
    """R-30.2: open rectification orders past their deadline, each with the next rung of the ladder
    (`GET /rectifications/overdue`)."""
    start = decode_cursor(cursor)
    after = (date.fromisoformat(start[0]), uuid.UUID(start[1])) if start else None
    items: list[OverdueRectification] = []
    more = False
    while True:
        rows = list(await rect_repo.overdue_page(session, as_of, after, 200))
        if not rows:
            break
        after = (rows[-1].deadline, rows[-1].id)
        pids = list({r.project_id for r in rows})
        projects = {p: await supervision_repo.get(session, p) for p in pids}
        applied = await repository.levels_by_project(session, pids)
        for r in rows:
            p = projects.get(r.project_id)
            if p is None or not principal.can_see(p.orgs):
                continue
            if len(items) == limit:
                more = True
                break
            step = rules.next_step(applied[r.project_id])
            items.append(
                OverdueRectification(
                    **rectification_out(r, as_of).model_dump(),
                    days_overdue=(as_of - r.deadline).days,
                    next_step=step,
                    next_step_label=rules.LABELS.get(step),
                )
            )
        if more or len(rows) < 200:
            break
    next_cursor = encode_cursor([items[-1].deadline.isoformat(), str(items[-1].id)]) if more and items else None
    return {"as_of": as_of, "items": items, "next_cursor": next_cursor}
