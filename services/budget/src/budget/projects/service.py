"""Use cases of the project budget record itself: the row, who may see it, what other services
report of its identity and state. The R-26.1 view is `gate`; the reactions that open reviews or
settle the books are `lifecycle`. Never commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.approval import ReapprovalApproved
from govkit.money import to_fen

from . import repository
from .models import BudgetProject


async def ensure_project(session: AsyncSession, project_id: str) -> BudgetProject:
    """The project row, created empty when an event arrives before budget heard of the project."""
    p = await repository.lock(session, project_id)
    if p is None:
        p = await repository.add(
            session,
            BudgetProject(
                project_id=project_id,
                participant_orgs=[],
                title="",
                jurisdiction="city",
                approved=False,
                estimate_review_required=False,
                suspended=False,
                terminated=False,
                settled=False,
                paid_total_fen=0,
                returned_total_fen=0,
                version=1,
            ),
        )
    return p


async def visible_project(
    session: AsyncSession, project_id: str, principal: Principal, *, lock: bool = False
) -> BudgetProject:
    """The project if the principal may see it; 404 otherwise (never reveal another unit's project)."""
    p = await (repository.lock(session, project_id) if lock else repository.get(session, project_id))
    if p is None or p.org is None:
        raise Problem(404, "项目不存在")
    principal.ensure_can_see([p.org, *(p.participant_orgs or [])])
    return p


async def set_identity(
    session: AsyncSession,
    p: BudgetProject,
    org: str,
    participants: list[str],
    title: str,
    declared_on: date,
    jurisdiction: str,
) -> None:
    p.org = org
    p.participant_orgs = list(participants or [])
    p.title = title or p.title
    p.declared_on = declared_on
    p.jurisdiction = jurisdiction or "city"
    await repository.set_orgs(session, p.project_id, [org, *(participants or [])])


async def record_reapproval(session: AsyncSession, data: ReapprovalApproved) -> BudgetProject:
    """R-20.2: the re-approved investment of the adjusted plan is what payments are now held to
    (until then AdjustmentFiled kept them at the old approval)."""
    p = await ensure_project(session, str(data.project_id))
    p.approved_investment_fen = to_fen(data.approved_investment)
    return p


async def record_project_code(session: AsyncSession, project_id: str, code: str) -> None:
    p = await ensure_project(session, project_id)
    p.project_code = code


async def record_suspension(session: AsyncSession, project_id: str, reason: str) -> None:
    p = await ensure_project(session, project_id)
    p.suspended, p.suspended_reason = True, reason


async def record_resumption(session: AsyncSession, project_id: str) -> None:
    p = await ensure_project(session, project_id)
    p.suspended, p.suspended_reason = False, None


def status_of(p: BudgetProject) -> str:
    if p.terminated:
        return "terminated"
    if p.settled:
        return "settled"
    if p.suspended:
        return "suspended"
    if p.final_accepted_on:
        return "final_accepted"
    if p.approved:
        return "approved"
    return "under_review"


def balance_fen(p: BudgetProject) -> int:
    return (p.approved_investment_fen or 0) - p.paid_total_fen - p.returned_total_fen
