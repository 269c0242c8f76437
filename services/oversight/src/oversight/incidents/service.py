"""Use cases of incidents (R-19.1)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.oversight import IncidentReported
from govkit.pagination import decode_cursor, encode_cursor

from ..publishing import publish
from ..supervision import service as supervision
from . import repository, rules
from .models import Incident
from .schemas import IncidentIn, IncidentList, IncidentOut


async def report_incident(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: IncidentIn
) -> IncidentOut:
    project = await supervision.visible_project(session, principal, project_id)
    supervision.ensure_not_terminated(project)
    route = rules.routing(body.kind)
    incident = await repository.add(
        session,
        Incident(
            project_id=project_id,
            kind=body.kind,
            description=body.description,
            routed_to=route.details["routed_to"],
            copied_to=route.details["copied_to"],
            reported_by=principal.sub,
        ),
    )
    await publish(
        session,
        IncidentReported(
            project_id=project_id,
            kind=body.kind,
            description=body.description,
            incident_id=str(incident.id),
            org=project.org,
            routed_to=incident.routed_to,
            copied_to=incident.copied_to,
        ),
        actor=principal,
        rule=route.rule,
    )
    return IncidentOut.model_validate(incident, from_attributes=True)


async def project_incidents(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> list[IncidentOut]:
    await supervision.visible_project(session, principal, project_id)
    return [
        IncidentOut.model_validate(i, from_attributes=True) for i in await repository.for_project(session, project_id)
    ]


async def inbox(session: AsyncSession, principal: Principal, limit: int, cursor: str | None) -> IncidentList:
    """The incidents routed or copied to the caller's bureau (R-19.1)."""
    if not rules.may_read(principal.roles):
        raise Problem(403, "事故报告只送市大数据管理局、市财政局，并抄送市行政审批局（第十九条）", rule="R-19.1")
    start = decode_cursor(cursor)
    after = (datetime.fromisoformat(start[0]), uuid.UUID(start[1])) if start else None
    rows = list(await repository.page(session, after, limit))
    more = len(rows) > limit
    rows = rows[:limit]
    return IncidentList(
        items=[IncidentOut.model_validate(r, from_attributes=True) for r in rows],
        next_cursor=encode_cursor([rows[-1].reported_at.isoformat(), str(rows[-1].id)]) if more else None,
    )
