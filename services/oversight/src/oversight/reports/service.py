"""Use cases of quarterly progress reports (R-18.1) and the overdue clock (X-30.1)."""

from __future__ import annotations

import uuid
from datetime import date

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from govkit.auth import Principal
from govkit.clock import quarter_of
from govkit.db import touch, utcnow
from govkit.documents import service as documents
from govkit.errors import Problem
from govkit.events.oversight import ProgressReported, ProgressReportOverdue
from govkit.pagination import decode_cursor, encode_cursor
from govkit.versioning import check_if_match

from .. import clock
from ..notices import service as notices
from ..publishing import SYSTEM_ACTOR, publish
from ..supervision import repository as supervision_repo
from ..supervision import rules as clock_rules
from ..supervision import service as supervision
from ..supervision.models import SupervisedProject
from . import repository
from .models import OverdueNotice, ProgressReport
from .schemas import OverdueReport, ProgressReportIn, ProgressReportOut

log = structlog.get_logger()


def window_of(project: SupervisedProject) -> clock_rules.ReportingWindow:
    return clock_rules.reporting_window(project.approved_on, project.final_accepted_on, project.terminated_on)


def _due(project: SupervisedProject, year: int, quarter: int) -> date:
    return clock_rules.due_on(year, quarter, project.jurisdiction, project.declared_on)


async def submit_report(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: ProgressReportIn, if_match: str | None
) -> ProgressReportOut:
    project = await supervision.visible_project(session, principal, project_id, for_update=True)
    today = clock.today()
    if (body.year, body.quarter) > quarter_of(today):
        raise Problem(
            422,
            f"{body.year}年第{body.quarter}季度尚未开始，不能报送",
            violations=[{"field": "quarter", "message": "quarter has not started"}],
        )
    decision = clock_rules.owes_report(window_of(project), body.year, body.quarter)
    if not decision.ok:
        raise Problem(409, decision.message, rule=decision.rule)
    due = _due(project, body.year, body.quarter)
    for i, doc_id in enumerate(body.attachments):  # stored documents of this project only
        await documents.require(session, project_id, doc_id, field=f"attachments[{i}]")
    figures = body.model_dump(exclude={"year", "quarter"})
    report = await repository.get_for_quarter(session, project_id, body.year, body.quarter, for_update=True)
    if report is None:
        if if_match is not None:
            raise Problem(412, "该季度尚无报告，不能按版本更正", current_version=0)
        report = ProgressReport(
            project_id=project_id,
            year=body.year,
            quarter=body.quarter,
            due_on=due,
            reported_on=today,
            late=today > due,
            reported_by=principal.sub,
            version=1,
            **figures,
        )
        session.add(report)
        corrected = False
    else:
        if if_match is None:
            raise Problem(
                409,
                f"{body.year}年第{body.quarter}季度进度已报送，每季度一份；更正请带 If-Match（第十八条）",
                rule="R-18.1",
                current_version=report.version,
            )
        check_if_match(if_match, report.version)
        for key, value in figures.items():
            setattr(report, key, value)
        touch(report)  # a correction is a new version of the report even when no figure changed
        report.updated_at = utcnow()
        report.reported_by = principal.sub
        corrected = True
    await session.flush()
    await publish(
        session,
        ProgressReported(
            project_id=project_id,
            org=project.org,
            year=report.year,
            quarter=report.quarter,
            procedures=report.procedures,
            tendering=report.tendering,
            start_completion=report.start_completion,
            implementation=report.implementation,
            development_progress_pct=report.development_progress_pct,
            investment_completed_year=report.investment_completed_year,
            funds_used_year=report.funds_used_year,
            investment_completed_total=report.investment_completed_total,
            funds_used_total=report.funds_used_total,
            corrected=corrected,
            version=report.version,
            attachments=list(report.attachments or []),
            due_on=report.due_on,
            late=report.late,
        ),
        actor=principal,
        rule="R-18.1",
    )
    if not corrected:  # the unit's reminder for this quarter is done
        await notices.clear(
            session,
            project,
            clock="progress_report",
            ref=f"{report.year}Q{report.quarter}",
            role="unit",
            actor=principal,
            message="已报送",
        )
    await session.refresh(report)
    return ProgressReportOut.model_validate(report, from_attributes=True)


async def list_reports(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> list[ProgressReportOut]:
    await supervision.visible_project(session, principal, project_id)
    return [
        ProgressReportOut.model_validate(r, from_attributes=True)
        for r in await repository.list_for_project(session, project_id)
    ]


async def _overdue_batch(session: AsyncSession, projects, as_of: date):
    """(project, quarter, due) for every overdue report of these projects."""
    ids = [p.project_id for p in projects]
    reported = await repository.reported_quarters(session, ids)
    for p in projects:
        for q, due in clock_rules.overdue_quarters(
            window_of(p), reported[p.project_id], as_of, p.jurisdiction, p.declared_on
        ):
            yield p, q, due


async def list_overdue(
    session: AsyncSession, principal: Principal, as_of: date, limit: int, cursor: str | None
) -> dict:
    """R-18.1 / X-30.1: every owed report missing past its due date on `as_of`."""
    start = decode_cursor(cursor)
    after_pid = uuid.UUID(start[0]) if start else None
    after_key = (start[1], start[2]) if start else None
    items: list[OverdueReport] = []
    batch_after = None
    if after_pid is not None:
        batch_after = uuid.UUID(int=after_pid.int - 1) if after_pid.int else None
    while len(items) <= limit:
        projects = await supervision_repo.approved_batch(session, batch_after, 500)
        if not projects:
            break
        batch_after = projects[-1].project_id
        visible = [p for p in projects if principal.can_see(p.orgs)]
        notified = await repository.notices(session, [p.project_id for p in visible])
        async for p, q, due in _overdue_batch(session, visible, as_of):
            if after_pid is not None and (p.project_id, q) <= (after_pid, after_key):
                continue
            items.append(
                OverdueReport(
                    project_id=p.project_id,
                    org=p.org,
                    title=p.title,
                    year=q[0],
                    quarter=q[1],
                    due_on=due,
                    days_overdue=(as_of - due).days,
                    notified=(p.project_id, q[0], q[1]) in notified,
                )
            )
        if len(projects) < 500:
            break
    more = len(items) > limit
    items = items[:limit]
    next_cursor = (
        encode_cursor([str(items[-1].project_id), items[-1].year, items[-1].quarter]) if more and items else None
    )
    return {"as_of": as_of, "items": items, "next_cursor": next_cursor}


async def scan_overdue_batch(
    session: AsyncSession, after: uuid.UUID | None, as_of: date, batch: int = 500
) -> tuple[uuid.UUID | None, int, int]:
    """Publish ProgressReportOverdue once per missed quarter (the notice table dedupes).
    Returns (last project id, published, overdue) — last is None when done."""
    projects = await supervision_repo.approved_batch(session, after, batch)
    if not projects:
        return None, 0, 0
    notified = await repository.notices(session, [p.project_id for p in projects])
    published = overdue = 0
    async for p, q, due in _overdue_batch(session, projects, as_of):
        overdue += 1
        if (p.project_id, q[0], q[1]) in notified:
            continue
        await repository.add_notice(
            session, OverdueNotice(project_id=p.project_id, year=q[0], quarter=q[1], due_on=due)
        )
        await publish(
            session,
            ProgressReportOverdue(project_id=p.project_id, org=p.org, year=q[0], quarter=q[1], due_on=due),
            actor=SYSTEM_ACTOR,
            rule="R-18.1",
        )
        published += 1
    last = projects[-1].project_id if len(projects) == batch else None
    return last, published, overdue


async def scan_overdue(session: AsyncSession, as_of: date) -> dict:
    """The whole scan in one transaction (the endpoint)."""
    after, published, overdue = None, 0, 0
    while True:
        after, p, o = await scan_overdue_batch(session, after, as_of)
        published, overdue = published + p, overdue + o
        if after is None:
            return {"as_of": as_of, "published": published, "overdue": overdue}


async def run_scan(sessionmaker: async_sessionmaker, as_of: date | None = None, on_commit=None) -> dict:
    """The periodic scan: one transaction per batch of projects."""
    as_of = as_of or clock.today()
    after, published, overdue = None, 0, 0
    while True:
        async with sessionmaker() as session:
            after, p, o = await scan_overdue_batch(session, after, as_of)
            await session.commit()
        published, overdue = published + p, overdue + o
        if p and on_commit:
            on_commit()
        if after is None:
            break
    if published:
        log.info("overdue_scan", as_of=str(as_of), published=published, overdue=overdue)
    return {"as_of": as_of, "published": published, "overdue": overdue}
