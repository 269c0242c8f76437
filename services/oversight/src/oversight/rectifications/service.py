"""Use cases of rectification orders (R-30.1, R-19.1) and the overdue list (R-30.2, X-30.1)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.oversight import (
    RectificationAnswered,
    RectificationClosed,
    RectificationOrdered,
    RectificationVerified,
)
from govkit.rules import article_of

from .. import clock
from ..incidents import repository as incidents_repo
from ..notices import service as notices
from ..publishing import publish
from ..supervision import service as supervision
from . import repository, rules
from .models import Rectification
from .schemas import CloseIn, RectificationIn, RectificationOut, VerificationIn


def to_out(r: Rectification, as_of: date | None = None) -> RectificationOut:
    opening = rules.ladder_opening(
        status=r.status, deadline=r.deadline, answered_on=r.answered_on, as_of=as_of or clock.today()
    )
    return RectificationOut(
        id=r.id,
        project_id=r.project_id,
        finding=r.finding,
        rule=r.rule,
        article=article_of(r.rule),
        area=r.area,
        deadline=r.deadline,
        incident_id=r.incident_id,
        ordered_by=r.ordered_by,
        ordered_by_org=r.ordered_by_org,
        ordered_on=r.ordered_on,
        status=r.status,
        evidence=r.evidence,
        answered_on=r.answered_on,
        closed_on=r.closed_on,
        closed_late=r.closed_late,
        verification_result=r.verification_result,
        verification_opinion=r.verification_opinion,
        verified_on=r.verified_on,
        escalate_to=r.escalate_to,
        escalation_basis=r.escalation_basis,
        opens_ladder=opening.ok,
        ladder={**opening.as_dict(), **({"basis": opening.details["basis"]} if "basis" in opening.details else {})},
    )


def _bad(field: str, message: str, rule: str | None = None) -> Problem:
    return Problem(
        422,
        message,
        rule=rule,
        violations=[
            {"field": field, "message": message, **({"rule": rule, "article": article_of(rule)} if rule else {})}
        ],
    )


async def order(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: RectificationIn
) -> RectificationOut:
    project = await supervision.visible_project(session, principal, project_id)
    supervision.ensure_not_terminated(project)
    today = clock.today()
    duty = rules.within_duty(body.area, principal.roles)
    if not duty.ok:
        raise Problem(403, duty.message, rule=duty.rule, violations=[{**duty.as_dict(), "field": "area"}])
    deadline = rules.deadline_ok(body.deadline, today)
    if not deadline.ok:
        raise Problem(
            422, deadline.message, rule=deadline.rule, violations=[{**deadline.as_dict(), "field": "deadline"}]
        )
    if body.escalate_to is not None and not (body.escalation_basis or "").strip():
        raise _bad("escalation_basis", "整改通知载明可越级处理的，须写明依据（第三十条）", "R-30.2")
    if body.area == "incident" and body.incident_id is None:
        raise _bad("incident_id", "事故整改（第十九条）须指明本项目的事故报告", "R-19.1")
    if body.incident_id is not None:
        incident = await incidents_repo.get(session, body.incident_id)
        if incident is None or incident.project_id != project_id:
            raise _bad("incident_id", "incident_id 不是本项目的事故报告")
    rule = body.rule or ("R-19.1" if body.incident_id else "R-30.1")
    r = await repository.add(
        session,
        Rectification(
            project_id=project_id,
            finding=body.finding,
            rule=rule,
            area=body.area,
            deadline=body.deadline,
            incident_id=body.incident_id,
            ordered_by=rules.ordering_role(body.area, principal.roles),
            ordered_by_org=principal.org,
            ordered_by_sub=principal.sub,
            ordered_on=today,
            status="open",
            escalate_to=body.escalate_to,
            escalation_basis=(body.escalation_basis or "").strip() or None if body.escalate_to else None,
        ),
    )
    await publish(
        session,
        RectificationOrdered(
            project_id=project_id,
            rectification_id=str(r.id),
            finding=r.finding,
            deadline=r.deadline,
            ordered_by=r.ordered_by,
            rule=rule,
            incident_id=str(r.incident_id) if r.incident_id else None,
            area=r.area,
            org=project.org,
            escalate_to=r.escalate_to,
            escalation_basis=r.escalation_basis,
        ),
        actor=principal,
        rule="R-30.1",
    )
    return to_out(r)


async def close(session: AsyncSession, principal: Principal, rid: uuid.UUID, body: CloseIn) -> RectificationOut:
    """R-30.1: the unit answers with evidence (status `answered`); the ordering department verifies."""
    r = await repository.get(session, rid, for_update=True)
    if r is None:
        raise Problem(404, "整改通知不存在")
    project = await supervision.visible_project(session, principal, r.project_id)
    decision = rules.can_answer(r.status)
    if not decision.ok:
        raise Problem(409, decision.message, rule=decision.rule, violations=[decision.as_dict()])
    today = clock.today()
    r.status, r.evidence, r.answered_on, r.answered_by = "answered", body.evidence, today, principal.sub
    r.closed_late = today > r.deadline
    await session.flush()
    await publish(
        session,
        RectificationAnswered(
            project_id=project.project_id,
            rectification_id=str(r.id),
            evidence=body.evidence,
            answered_on=today,
            late=r.closed_late,
            ordered_by=r.ordered_by,
            org=project.org,
            deadline=r.deadline,
        ),
        actor=principal,
        rule="R-30.1",
    )
    # the unit's clock is done; the ordering department must now verify
    for role in ("unit", r.ordered_by):
        await notices.clear(
            session, project, clock="rectification", ref=str(r.id), role=role, actor=principal, message="已报送整改情况"
        )
    await notices.open_todo(
        session,
        project,
        clock="rectification_verification",
        role=r.ordered_by,
        org=None,
        ref=f"{r.id}@{today.isoformat()}",
        rule="R-30.1",
        actor=principal,
        message=f"项目建设单位已报送整改情况，请核查（第三十条）：{r.finding[:60]}",
    )
    return to_out(r)


async def verify(session: AsyncSession, principal: Principal, rid: uuid.UUID, body: VerificationIn) -> RectificationOut:
    """R-30.1: the ordering department verifies the answer: closed, or still non-compliant (R-30.2)."""
    r = await repository.get(session, rid, for_update=True)
    if r is None:
        raise Problem(404, "整改通知不存在")
    project = await supervision.visible_project(session, principal, r.project_id)
    decision = rules.can_verify(r.status, r.ordered_by, principal.roles)
    if not decision.ok:
        status = 403 if "required_role" in decision.details else 409
        raise Problem(status, decision.message, rule=decision.rule, violations=[decision.as_dict()])
    today = clock.today()
    r.verification_result, r.verification_opinion = body.result, body.opinion
    r.verified_on, r.verified_by = today, principal.sub
    if body.result == "closed":
        r.status, r.closed_on, r.closed_by = "closed", today, principal.sub
    else:
        r.status = "non_compliant"
        r.non_compliant_on = r.non_compliant_on or today
    await session.flush()
    await publish(
        session,
        RectificationVerified(
            project_id=project.project_id,
            rectification_id=str(r.id),
            result=body.result,
            opinion=body.opinion,
            verified_on=today,
            ordered_by=r.ordered_by,
            org=project.org,
        ),
        actor=principal,
        rule="R-30.1" if body.result == "closed" else "R-30.2",
    )
    await notices.clear(
        session,
        project,
        clock="rectification_verification",
        ref=f"{r.id}@{r.answered_on.isoformat()}",
        role=r.ordered_by,
        actor=principal,
        message="已核查",
    )
    if body.result == "closed":
        await publish(
            session,
            RectificationClosed(
                project_id=project.project_id,
                rectification_id=str(r.id),
                evidence=r.evidence or "",
                closed_on=today,
                late=r.closed_late,
            ),
            actor=principal,
            rule="R-30.1",
        )
    return to_out(r)


async def project_rectifications(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> list[RectificationOut]:
    await supervision.visible_project(session, principal, project_id)
    return [to_out(r) for r in await repository.for_project(session, project_id)]
