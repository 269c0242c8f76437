"""X-30.1: the oversight clocks pushed to the party that must act (SupervisionDeadline → the
gateway's 盐政通 to-dos and webhooks; `GET /clocks` is the console's to-do feed)."""

from __future__ import annotations

import uuid
from datetime import date

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from govkit.auth import Principal
from govkit.db import run_in_batches
from govkit.policy import policy_for
from govkit.rules import article_of

from .. import clock as oversight_clock
from ..notices.service import LABELS, NOTICES
from ..reports import repository as reports_repo
from ..supervision import repository as supervision_repo
from ..supervision import rules as report_rules
from ..supervision.models import SupervisedProject
from . import repository
from .rules import rectification_clocks, report_reminders

log = structlog.get_logger()


def lead_days(project: SupervisedProject | None = None) -> int:
    on = (project.declared_on or project.approved_on) if project is not None else None
    return policy_for(
        on or oversight_clock.today(), project.jurisdiction if project is not None else "city"
    ).deadline_reminder_days


async def scan_reports_batch(
    session: AsyncSession, after: uuid.UUID | None, as_of: date, batch: int = 500
) -> tuple[uuid.UUID | None, int]:
    """R-18.1 reminders before a quarter's report is due."""
    projects = await supervision_repo.approved_batch(session, after, batch)
    if not projects:
        return None, 0
    ids = [p.project_id for p in projects]
    reported = await reports_repo.reported_quarters(session, ids)
    seen = await NOTICES.seen(session, ids)
    published = 0
    for p in projects:
        window = report_rules.reporting_window(p.approved_on, p.final_accepted_on, p.terminated_on)
        unreported = [
            (q, report_rules.due_on(*q, jurisdiction=p.jurisdiction, declared_on=p.declared_on))
            for q in report_rules.owed_quarters(window, as_of)
            if q not in reported[p.project_id]
        ]
        published += await NOTICES.push_new(
            session, p.project_id, p.title, report_reminders(unreported, p.org, as_of, lead_days(p)), seen
        )
    return (projects[-1].project_id if len(projects) == batch else None), published


async def scan_rectifications(session: AsyncSession, as_of: date) -> int:
    rows = await repository.rectifications_due(session, as_of=as_of, lead_days=lead_days())
    pids = list({r.project_id for r in rows})
    projects = {pid: await supervision_repo.get(session, pid) for pid in pids}
    seen = await NOTICES.seen(session, pids)
    published = 0
    for r in rows:
        p = projects.get(r.project_id)
        if p is None or p.standing == "terminated":
            continue
        clocks = rectification_clocks(
            rid=str(r.id),
            status=r.status,
            deadline=r.deadline,
            ordered_by=r.ordered_by,
            org=p.org,
            as_of=as_of,
            lead_days=lead_days(p),
        )
        published += await NOTICES.push_new(session, p.project_id, p.title, clocks, seen)
    return published


async def scan(session: AsyncSession, as_of: date) -> dict:
    after, published = None, 0
    while True:
        after, p = await scan_reports_batch(session, after, as_of)
        published += p
        if after is None:
            break
    published += await scan_rectifications(session, as_of)
    return {"as_of": as_of, "published": published}


async def run_scan(sessionmaker: async_sessionmaker, as_of: date | None = None, on_commit=None) -> dict:
    as_of = as_of or oversight_clock.today()
    published = await run_in_batches(
        sessionmaker,
        lambda session, after: scan_reports_batch(session, after, as_of),
        lambda session: scan_rectifications(session, as_of),
        on_commit,
    )
    if published:
        log.info("clock_scan", as_of=str(as_of), published=published)
    return {"as_of": as_of, "published": published}


async def pending_for(session: AsyncSession, principal: Principal, limit: int) -> list[dict]:
    if principal.has("unit"):
        rows = await NOTICES.pending(session, role="unit", org=principal.org, limit=limit)
    else:
        rows = []
        for role in sorted(principal.roles):
            rows += await NOTICES.pending(session, role=role, org=None, limit=limit)
        rows = rows[:limit]
    return [
        {
            "project_id": str(n.project_id),
            "clock": n.clock,
            "label": LABELS.get(n.clock, n.clock),
            "phase": n.phase,
            "role": n.role,
            "org": n.org,
            "due_on": n.due_on,
            "ref": n.ref,
            "rule": "X-30.1",
            "article": article_of("X-30.1"),
            "basis": "practice",
        }
        for n in rows
    ]
