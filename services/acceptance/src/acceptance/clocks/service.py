"""X-30.1: the acceptance clocks pushed to the party that must act (AcceptanceDeadline → the
gateway's 盐政通 to-dos and webhooks; `GET /clocks` is the console's to-do feed)."""

from __future__ import annotations

import uuid
from datetime import date

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from govkit.auth import Principal
from govkit.clock import today
from govkit.db import run_in_batches
from govkit.policy import policy_for
from govkit.rules import article_of

from ..notices.service import LABELS, NOTICES
from ..projects.models import AcceptanceProject
from . import repository
from .rules import ProjectFacts, acceptance_clocks, commission_clock

log = structlog.get_logger()


def lead_days(project: AcceptanceProject | None = None) -> int:
    on = (project.declared_on or project.approved_on) if project is not None else None
    return policy_for(on or today(), project.jurisdiction if project is not None else "city").deadline_reminder_days


def _facts(p: AcceptanceProject, self_evaluated: bool) -> ProjectFacts:
    return ProjectFacts(
        org=p.org,
        stage=p.stage,
        status=p.status,
        due_on=p.due_on,
        self_evaluation_opens_on=p.self_evaluation_opens_on,
        self_evaluation_closes_on=p.self_evaluation_closes_on,
        self_evaluated=self_evaluated,
        warranty_ends_on=p.warranty_ends_on,
    )


async def scan_batch(
    session: AsyncSession, after: uuid.UUID | None, as_of: date, batch: int = 500
) -> tuple[uuid.UUID | None, int]:
    rows = await repository.candidates(session, as_of=as_of, lead_days=lead_days(), after=after, limit=batch)
    ids = [p.project_id for p in rows]
    seen = await NOTICES.seen(session, ids)
    done = await repository.self_evaluated(session, ids)
    published = 0
    for p in rows:
        clocks = acceptance_clocks(_facts(p, p.project_id in done), as_of, lead_days(p))
        published += await NOTICES.push_new(session, p.project_id, p.title, clocks, seen)
    return (rows[-1].project_id if len(rows) == batch else None), published


async def scan_commissions(session: AsyncSession, as_of: date) -> int:
    rows = await repository.open_commissions(session, as_of=as_of, lead_days=lead_days())
    seen = await NOTICES.seen(session, list({c.project_id for c in rows}))
    published = 0
    for c in rows:
        clock = commission_clock(str(c.id), c.org, c.due_on, c.status == "filed", as_of, lead_days())
        if clock:
            published += await NOTICES.push_new(session, c.project_id, "", [clock], seen)
    return published


async def scan(session: AsyncSession, as_of: date) -> dict:
    """The whole scan in one transaction (the endpoint)."""
    after, published = None, 0
    while True:
        after, p = await scan_batch(session, after, as_of)
        published += p
        if after is None:
            break
    published += await scan_commissions(session, as_of)
    return {"as_of": as_of, "published": published}


async def run_scan(sessionmaker: async_sessionmaker, as_of: date | None = None, on_commit=None) -> dict:
    """The periodic scan: one transaction per batch of projects."""
    as_of = as_of or today()
    published = await run_in_batches(
        sessionmaker,
        lambda session, after: scan_batch(session, after, as_of),
        lambda session: scan_commissions(session, as_of),
        on_commit,
    )
    if published:
        log.info("clock_scan", as_of=str(as_of), published=published)
    return {"as_of": as_of, "published": published}


async def pending_for(session: AsyncSession, principal: Principal, limit: int) -> list[dict]:
    """What this principal must act on (the console's to-do list): a unit or a third party by its org,
    a bureau by its role."""
    if principal.has("unit"):
        rows = await NOTICES.pending(session, role="unit", org=principal.org, limit=limit)
    elif principal.has("third_party"):
        rows = await NOTICES.pending(session, role="third_party", org=principal.org, limit=limit)
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
