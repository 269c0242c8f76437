"""Use cases of the whole-project view: list, one project, timeline, rebuild."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.money import fmt
from govkit.pagination import decode_cursor, encode_cursor
from govkit.rules import article_of

from ..supervision import rules as clock_rules
from . import rating, repository, search
from .models import ProjectView
from .projection import STATUSES, apply_event, payload_of
from .schemas import TimelineItem
from .sources import EventSource


def _next_due(v: ProjectView) -> date | None:
    if v.approved_on is None or v.terminated:
        return None
    window = clock_rules.reporting_window(v.approved_on, v.final_accepted_on)
    reported = set(v.reported_quarters or [])
    q = window.first
    for _ in range(400):
        if window.last is not None and q > window.last:
            return None
        if f"{q[0]}-Q{q[1]}" not in reported:
            return clock_rules.due_on(q[0], q[1], v.jurisdiction or "city", v.declared_on)
        q = clock_rules.next_quarter(q)
    return None


def _money(value) -> str | None:
    return None if value is None else fmt(value)


def balance_of(approved: Decimal | None, paid: Decimal) -> Decimal | None:
    """What is left of the approved investment (never below zero); None before approval."""
    return None if approved is None else max(approved - paid, Decimal(0))


def to_out(v, as_of: date) -> dict:
    """One project's view (a ProjectView or a plain row with its columns) as the API shape."""
    grade, reasons, metrics = rating.rate(v, as_of)
    open_orders = v.open_rectifications or {}
    deadlines = sorted(open_orders.values())
    paid = v.paid_total or Decimal(0)
    balance = balance_of(v.approved_investment, paid)
    return {
        "project_id": str(v.project_id),
        "status": v.status,
        "rating": grade,
        "reasons": reasons,
        "metrics": metrics,
        "org": v.org,
        "participant_orgs": v.participant_orgs or [],
        "title": v.title,
        "declaration_no": v.declaration_no,
        "project_code": v.project_code,
        "category": v.category,
        "library_year": v.library_year,
        "route": v.route,
        "acceptance_path": v.acceptance_path,
        "acceptance_stage": v.acceptance_stage,
        "self_evaluation_rating": v.self_evaluation_rating,
        "post_evaluation_rating": v.post_evaluation_rating,
        "money": {
            "estimated_investment": _money(v.estimated_investment),
            "reviewed_amount": _money(v.reviewed_amount),
            "approved_investment": _money(v.approved_investment),
            "paid_total": fmt(paid),
            "balance": _money(balance),
            "surplus_returned": fmt(v.surplus_returned or Decimal(0)),
            "investment_completed_total": _money(v.investment_completed_total),
            "funds_used_total": _money(v.funds_used_total),
        },
        "reports": {
            "reported_quarters": v.reported_quarters or [],
            "last_report": v.last_report,
            "development_progress_pct": v.development_progress_pct,
            "overdue_notices": v.overdue_notices or 0,
        },
        "supervision": {
            "construction_filed": v.construction_filed,
            "incidents": v.incidents or 0,
            "open_rectifications": len(open_orders),
            "rectifications_total": v.rectifications_total or 0,
            "last_sanction": v.last_sanction,
            "sanctions": v.sanctions or 0,
            "findings": v.findings or 0,
            "suspended": v.suspended,
            "terminated": v.terminated,
        },
        "clocks": {
            "declared_on": v.declared_on,
            "approved_on": v.approved_on,
            "planned_completion_on": v.planned_completion_on,
            "next_report_due_on": _next_due(v),
            "earliest_rectification_deadline": date.fromisoformat(deadlines[0]) if deadlines else None,
            "final_accepted_on": v.final_accepted_on,
            "warranty_ends_on": v.warranty_ends_on,
            "self_evaluation_opens_on": v.self_evaluation_opens_on,
            "self_evaluation_closes_on": v.self_evaluation_closes_on,
        },
        "version": v.version,
        "updated_at": v.updated_at,
    }


async def list_projects(
    session: AsyncSession,
    principal: Principal,
    *,
    status: str | None,
    org: str | None,
    library_year: int | None,
    limit: int,
    cursor: str | None,
    as_of: date,
    q: str | None = None,
) -> dict:
    q = search.normalise(q)
    if status is not None and status not in STATUSES:
        raise Problem(
            422,
            f"status 无效，可选：{', '.join(STATUSES)}",
            violations=[{"field": "status", "message": "unknown status"}],
        )
    start = decode_cursor(cursor)
    try:
        after = uuid.UUID(start[0]) if start else None
    except (ValueError, IndexError, TypeError, AttributeError):
        raise Problem(422, "cursor 无效", violations=[{"field": "cursor", "message": "invalid cursor"}]) from None
    plan = await repository.plan_search(session, q) if q is not None else None
    if q is not None and plan is None:  # a term of the query is in no project: nothing matches
        return {"items": [], "next_cursor": None, "total": 0, "total_exact": True}
    rows = list(
        await repository.list_views(
            session,
            status=status,
            org=org,
            library_year=library_year,
            visible_to_org=None if principal.citywide else principal.org,
            after=after,
            limit=limit,
            search_for=plan,
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    out = {
        "items": [to_out(v, as_of) for v in rows],
        "next_cursor": encode_cursor([str(rows[-1].project_id)]) if more and rows else None,
    }
    if q is not None and after is None and not more:  # the first page holds every match: no count query
        out["total"], out["total_exact"] = len(rows), True
    elif plan is not None:  # a search answers how many projects match in all (capped, see search.COUNT_CAP)
        total = await repository.count_views_matching(
            session,
            status=status,
            org=org,
            library_year=library_year,
            search_for=plan,
            visible_to_org=None if principal.citywide else principal.org,
            cap=search.COUNT_CAP,
        )
        out["total"], out["total_exact"] = min(total, search.COUNT_CAP), total <= search.COUNT_CAP
    return out


async def visible_view(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> ProjectView:
    view = await repository.get_view(session, project_id)
    if view is None:
        raise Problem(404, "项目不存在")
    principal.ensure_can_see([view.org, *(view.participant_orgs or [])])
    return view


async def get_project(session: AsyncSession, principal: Principal, project_id: uuid.UUID, as_of: date) -> dict:
    return to_out(await visible_view(session, principal, project_id), as_of)


async def timeline(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, limit: int, cursor: str | None
) -> dict:
    await visible_view(session, principal, project_id)
    start = decode_cursor(cursor)
    try:
        after = repository.timeline_after(start) if start else None
    except (ValueError, IndexError, TypeError):
        raise Problem(422, "cursor 无效", violations=[{"field": "cursor", "message": "invalid cursor"}]) from None
    rows = list(await repository.timeline(session, project_id, after, limit))
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        TimelineItem(
            event_id=e.event_id,
            service=e.service,
            type=e.type,
            time=e.time,
            actor=e.actor,
            actor_org=e.actor_org,
            rule=e.rule,
            article=article_of(e.rule) if e.rule else None,
            seq=e.seq,
            data=e.data,
        )
        for e in rows
    ]
    last = rows[-1] if rows else None
    return {
        "project_id": project_id,
        "items": items,
        "next_cursor": encode_cursor([last.time.isoformat(), last.service, last.seq or 0, last.event_id])
        if more and last
        else None,
    }


async def rebuild(
    session: AsyncSession, source: EventSource, progress: Callable[[int, dict[str, int]], None] | None = None
) -> dict:
    """Empty the read model and the timeline, then fold every service's event log again; `progress` is
    told the count so far every 500 events."""
    await repository.clear(session)
    counts: dict[str, int] = {}
    total = 0
    async for service, event in source(session):
        if await apply_event(session, payload_of(event), event):
            counts[service] = counts.get(service, 0) + 1
            total += 1
            if progress is not None and total % 500 == 0:
                progress(total, counts)
    return {"events": total, "projects": await repository.count_views(session), "sources": counts}
