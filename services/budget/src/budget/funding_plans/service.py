"""Use cases of the annual funding plan (R-4.2). Never commits."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.budget import FundingPlanAmended, FundingPlanLineChanged
from govkit.money import from_fen, to_fen
from govkit.outbox import emit
from govkit.pagination import encode_cursor
from govkit.rules import violation
from govkit.versioning import check_if_match

from ..disbursement_records import repository as ledger_repo
from ..funding_request_records import repository as requests_repo
from ..projects import repository as projects_repo
from ..schemas_common import cursor_values
from . import repository
from .models import FundingPlan, FundingPlanVersion
from .rules import LineFacts, line_violations


async def lines_facts(session: AsyncSession, project_ids: list[str], year: int) -> dict[str, LineFacts]:
    """What budget knows of the projects whose lines change, in two queries. Their rows are locked
    (after the plan's, in id order): a payment deciding against an old line finishes first, one that
    comes later sees the new line."""
    projects = await projects_repo.lock_many(session, project_ids)
    paid = await ledger_repo.paid_by_project_year(session, project_ids)
    out = {}
    for pid in project_ids:
        p = projects.get(pid)
        if p is None or p.org is None:
            out[pid] = LineFacts(project_id=pid, known=False)
            continue
        by_year = paid.get(pid, {})
        out[pid] = LineFacts(
            project_id=pid,
            known=True,
            approved=p.approved,
            terminated=p.terminated,
            settled=p.settled,
            approved_investment=from_fen(p.approved_investment_fen or 0),
            returned=from_fen(p.returned_total_fen),
            paid_in_year=from_fen(by_year.get(year, 0)),
            paid_other_years=from_fen(sum(v for y, v in by_year.items() if y != year)),
        )
    return out


async def put_plan(
    session: AsyncSession,
    year: int,
    amounts: dict[str, Decimal],
    reason: str | None,
    principal: Principal,
    if_match: str | None,
) -> dict:
    """Compile (version 1) or amend (a new version) the year's plan; lines not named are dropped.
    The same lines again change nothing. 409 R-4.2 listing every line that cannot stand."""
    plan = await repository.lock(session, year)
    if plan is not None:
        check_if_match(if_match, plan.version)
    current = {line.project_id: line.amount_fen for line in await repository.lines(session, year)}
    new = {pid: to_fen(a) for pid, a in amounts.items()}
    if plan is not None and new == current:
        return await plan_read(session, year, principal)
    if plan is not None and not reason:  # a rule of the plan's state (an amendment), not of the body's shape
        raise Problem(
            409,
            "调整资金计划须说明理由（第四条）",
            rule="R-4.2",
            violations=[{"field": "reason", "rule": "R-4.2", "message": "调整资金计划须说明理由（第四条）"}],
        )
    violations: list[dict] = []
    changed = sorted(pid for pid in set(current) | set(new) if current.get(pid) != new.get(pid))
    facts = await lines_facts(session, changed, year)
    for pid in changed:
        prev, fen = current.get(pid), new.get(pid)
        if fen is not None:
            violations += line_violations(facts[pid], year, from_fen(fen), from_fen(prev) if prev is not None else None)
        elif facts[pid].paid_in_year > 0:
            violations.append(
                violation(
                    "R-4.2",
                    f"项目 {pid} 本年度已拨付 {facts[pid].paid_in_year} 元，不得从 {year} 年度资金计划中删除（第四条）",
                    project_id=pid,
                    field="lines",
                )
            )
    if violations:
        raise Problem(
            409, f"{year} 年度资金计划有 {len(violations)} 处不符合要求（第四条）", rule="R-4.2", violations=violations
        )
    number = 1 if plan is None else plan.version + 1
    total = sum(new.values())
    if plan is None:
        plan = FundingPlan(year=year, version=number, total_fen=total)
        await repository.add(session, plan)
    else:
        plan.version, plan.total_fen = number, total
    changes = [
        {"project_id": pid, "before_fen": current.get(pid), "after_fen": new.get(pid)}
        for pid in sorted(set(current) | set(new))
        if current.get(pid) != new.get(pid)
    ]
    await repository.add(
        session,
        FundingPlanVersion(
            id=str(uuid.uuid4()),
            year=year,
            version=number,
            lines=[{"project_id": pid, "amount_fen": fen} for pid, fen in sorted(new.items())],
            changes=changes,
            total_fen=total,
            reason=reason,
            recorded_by=principal.sub,
            recorded_org=principal.org,
        ),
    )
    await repository.apply_changes(session, year, number, {c["project_id"]: c["after_fen"] for c in changes})
    await emit(
        session,
        FundingPlanAmended(year=year, version=number, total=from_fen(total), lines=len(new), reason=reason),
        actor=principal,
        rule="R-4.2",
        subject=f"funding-plan-{year}",
    )
    projects = await projects_repo.get_many(session, changed)
    for ch in changes:
        p = projects.get(ch["project_id"])
        await emit(
            session,
            FundingPlanLineChanged(
                project_id=ch["project_id"],
                year=year,
                version=number,
                amount=from_fen(ch["after_fen"] or 0),
                previous_amount=from_fen(ch["before_fen"]) if ch["before_fen"] is not None else None,
                removed=ch["after_fen"] is None,
                org=p.org if p else None,
            ),
            actor=principal,
            rule="R-4.2",
        )
    return await plan_read(session, year, principal)


async def put_line(
    session: AsyncSession,
    year: int,
    project_id: str,
    amount: Decimal,
    reason: str | None,
    principal: Principal,
    if_match: str | None,
) -> dict:
    """One project's line set, the others kept: a new version of the plan like any amendment."""
    plan = await repository.lock(session, year)
    if plan is not None:
        check_if_match(if_match, plan.version)
    amounts = {line.project_id: from_fen(line.amount_fen) for line in await repository.lines(session, year)}
    amounts[project_id] = amount
    return await put_plan(session, year, amounts, reason, principal, None)


async def plan_read(session: AsyncSession, year: int, principal: Principal) -> dict:
    plan = await repository.get(session, year)
    if plan is None:
        raise Problem(404, f"{year} 年度资金计划尚未编制")
    rows = await repository.lines(session, year)
    projects = await projects_repo.get_many(session, [line.project_id for line in rows])
    if not principal.citywide:
        rows = [
            line
            for line in rows
            if (p := projects.get(line.project_id)) is not None
            and principal.can_see([p.org, *(p.participant_orgs or [])])
        ]
    ids = [line.project_id for line in rows]
    paid = await ledger_repo.paid_in_year_by_project(session, year, ids)
    outstanding = await requests_repo.outstanding_by_project(session, year, ids)
    lines = []
    for line in rows:
        p = projects.get(line.project_id)
        paid_fen, out_fen = paid.get(line.project_id, 0), outstanding.get(line.project_id, 0)
        lines.append(
            {
                "project_id": line.project_id,
                "amount": from_fen(line.amount_fen),
                "since_version": line.version,
                "title": p.title if p else None,
                "org": p.org if p else None,
                "paid_in_year": from_fen(paid_fen),
                "confirmed_outstanding": from_fen(out_fen),
                "available": from_fen(line.amount_fen - paid_fen - out_fen),
            }
        )
    return {
        "year": year,
        "version": plan.version,
        "total": from_fen(plan.total_fen),
        "lines": lines,
        "updated_at": plan.updated_at,
        "rule": "R-4.2",
        "article": "第四条",
    }


def version_read(v: FundingPlanVersion) -> dict:
    return {
        "year": v.year,
        "version": v.version,
        "total": from_fen(v.total_fen),
        "lines": [{"project_id": x["project_id"], "amount": str(from_fen(x["amount_fen"]))} for x in v.lines],
        "changes": [
            {
                "project_id": c["project_id"],
                "before": from_fen(c["before_fen"]) if c["before_fen"] is not None else None,
                "after": from_fen(c["after_fen"]) if c["after_fen"] is not None else None,
            }
            for c in v.changes
        ],
        "reason": v.reason,
        "recorded_by": v.recorded_by,
        "recorded_org": v.recorded_org,
        "created_at": v.created_at,
    }


async def list_versions(session: AsyncSession, year: int, cursor: str | None, limit: int) -> dict:
    after = cursor_values(cursor, int)
    rows = await repository.versions(session, year, after[0] if after else None, limit)
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [version_read(v) for v in rows],
        "next_cursor": encode_cursor([rows[-1].version]) if more and rows else None,
    }


async def get_version(session: AsyncSession, year: int, number: int) -> dict:
    v = await repository.version(session, year, number)
    if v is None:
        raise Problem(404, f"{year} 年度资金计划第 {number} 版不存在")
    return version_read(v)
