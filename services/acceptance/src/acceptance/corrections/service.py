"""Corrections of recorded acceptance steps by their actor, and bdb's reopenings (R-21.1, issue 15)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.clock import today
from govkit.errors import Problem
from govkit.events.acceptance import AcceptanceStepCorrected, AcceptanceStepReopened
from govkit.outbox import emit
from govkit.rules import violation
from govkit.versioning import check_if_match

from ..projects.access import ensure_active, load_visible
from ..projects.models import AcceptanceProject
from ..projects.rules import check_actor
from . import repository
from .models import StepCorrection
from .rules import CORRECTABLE, Recorded, check_correctable, check_corrected_dates
from .schemas import STEP_FIELDS, CorrectionIn, ReopenIn

# step → the project's columns for each field
COLUMNS = {
    "preliminary": {"accepted_on": "preliminary_on", "opinion": "preliminary_opinion"},
    "trial_operation": {"starts_on": "trial_starts_on", "ends_on": "trial_ends_on"},
    "final_application": {"applied_on": "final_applied_on", "planned_on": "final_planned_on"},
}


def recorded(p: AcceptanceProject) -> Recorded:
    return Recorded(
        approved_on=p.approved_on,
        preliminary_on=p.preliminary_on,
        trial_starts_on=p.trial_starts_on,
        trial_ends_on=p.trial_ends_on,
        final_applied_on=p.final_applied_on,
        final_planned_on=p.final_planned_on,
        final_accepted_on=p.final_accepted_on,
        due_on=p.due_on,
    )


def _json(v):
    return v.isoformat() if isinstance(v, date) else v


def _refuse(decision) -> Problem:
    return Problem(
        409,
        decision.message,
        rule=decision.rule,
        violations=[{**violation(decision.rule, decision.message), **decision.details}],
    )


async def correct(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    step: str,
    data: CorrectionIn,
    if_match: str | None,
) -> AcceptanceProject:
    if step not in CORRECTABLE and step != "final":
        raise Problem(404, "没有这个验收步骤")
    project = await load_visible(session, principal, project_id, for_update=True)
    actor = check_actor(project.path, step, principal.roles)
    if not actor.ok:  # the actor of the step corrects what it recorded
        raise Problem(403, actor.message, rule=actor.rule, violations=[violation(actor.rule, actor.message)])
    if if_match is None:
        raise Problem(
            428,
            "更正须带 If-Match（当前版本号）",
            current_version=project.version,
            violations=[{"field": "If-Match", "message": "required"}],
        )
    check_if_match(if_match, project.version)
    ensure_active(project)
    gate = check_correctable(step, recorded(project), project.reopened_step == step)
    if not gate.ok:
        raise _refuse(gate)
    given = data.model_dump(exclude={"reason"}, exclude_none=True)
    foreign = [f for f in given if f not in STEP_FIELDS[step]]
    if foreign:
        raise Problem(
            422,
            f"{'、'.join(foreign)} 不属于该步骤，可更正：{'、'.join(STEP_FIELDS[step])}",
            violations=[{"field": f, "message": "not a field of this step"} for f in foreign],
        )
    before = {f: getattr(project, COLUMNS[step][f]) for f in STEP_FIELDS[step]}
    after = {**before, **given}
    if after == before:
        raise Problem(422, "更正内容与原记录相同", violations=[{"field": STEP_FIELDS[step][0], "message": "no change"}])
    failed = check_corrected_dates(step, recorded(project), after, today())
    if failed:
        raise Problem(
            409,
            "；".join(d.message for d in failed),
            rule=failed[0].rule,
            violations=[{**violation(d.rule, d.message), **d.details} for d in failed],
        )
    for field, value in after.items():
        setattr(project, COLUMNS[step][field], value)
    reopened = project.reopened_step == step
    project.reopened_step = None
    repository.add(
        session,
        StepCorrection(
            project_id=project.project_id,
            step=step,
            kind="correction",
            reason=data.reason,
            before={k: _json(v) for k, v in before.items()},
            after={k: _json(v) for k, v in after.items()},
            actor=principal.sub,
            actor_role=actor.details.get("required_actor") or ("bdb" if principal.has("bdb") else "unit"),
        ),
    )
    await session.flush()
    await emit(
        session,
        AcceptanceStepCorrected(
            project_id=project.project_id,
            step=step,
            reason=data.reason,
            before={k: _json(v) for k, v in before.items()},
            after={k: _json(v) for k, v in after.items()},
            reopened=reopened,
        ),
        actor=principal,
        rule="R-21.1",
    )
    return project


async def reopen(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, step: str, data: ReopenIn, if_match: str | None
) -> AcceptanceProject:
    """bdb reopens a step on which later steps rest, so that its actor may correct it once."""
    if step not in CORRECTABLE and step != "final":
        raise Problem(404, "没有这个验收步骤")
    project = await load_visible(session, principal, project_id, for_update=True)
    check_if_match(if_match, project.version)
    ensure_active(project)
    gate = check_correctable(step, recorded(project), True)
    if not gate.ok:
        raise _refuse(gate)
    project.reopened_step = step
    repository.add(
        session,
        StepCorrection(
            project_id=project.project_id,
            step=step,
            kind="reopen",
            reason=data.reason,
            before={},
            after={},
            actor=principal.sub,
            actor_role="bdb",
        ),
    )
    await session.flush()
    await emit(
        session,
        AcceptanceStepReopened(project_id=project.project_id, step=step, reason=data.reason),
        actor=principal,
        rule="R-21.1",
    )
    return project


async def history(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> list[dict]:
    project = await load_visible(session, principal, project_id)
    return [
        {
            "id": str(c.id),
            "step": c.step,
            "kind": c.kind,
            "reason": c.reason,
            "before": c.before,
            "after": c.after,
            "actor_role": c.actor_role,
            "at": c.created_at,
        }
        for c in await repository.for_project(session, project.project_id)
    ]
