"""Use cases of finance's estimate review (R-25.1). Never commits."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.budget import EstimateReviewed, EstimateReviewOpened
from govkit.money import from_fen, to_fen
from govkit.outbox import emit
from govkit.pagination import encode_cursor
from govkit.policy import Policy

from ..config import get_settings
from ..projects import repository as projects_repo
from ..projects.models import BudgetProject
from ..projects.service import visible_project
from ..schemas_common import cursor_values
from . import repository
from .models import EstimateReview
from .rules import is_overdue, review_due_on

ACTOR = "system:budget"


async def open_review(
    session: AsyncSession, p: BudgetProject, estimated: Decimal, opened_on: date, policy: Policy
) -> EstimateReview:
    """One review per project; a review started again (after revision) updates the open one."""
    review = await repository.get_by_project(session, p.project_id)
    if review is not None:
        if review.status == "open":
            review.estimated_fen = to_fen(estimated)
        return review
    due = review_due_on(opened_on, get_settings().estimate_review_due_days)
    review = await repository.add(
        session,
        EstimateReview(
            id=str(uuid.uuid4()),
            project_id=p.project_id,
            estimated_fen=to_fen(estimated),
            threshold_fen=to_fen(policy.estimate_review_threshold),
            opened_on=opened_on,
            due_on=due,
            status="open",
        ),
    )
    await emit(
        session,
        EstimateReviewOpened(
            project_id=p.project_id,
            estimated_investment=estimated,
            due_on=due,
            org=p.org,
            title=p.title,
            threshold=policy.estimate_review_threshold,
            opened_on=opened_on,
        ),
        actor=ACTOR,
        rule="R-25.1",
    )
    return review


async def record_review(
    session: AsyncSession, project_id: str, report_no: str, reviewed_amount: Decimal, principal: Principal, today: date
) -> EstimateReview:
    """Finance records its report; approval waits for EstimateReviewed."""
    p = await projects_repo.lock(session, project_id)
    if p is None or p.org is None:
        raise Problem(404, "项目不存在")
    review = await repository.get_by_project(session, project_id)
    if review is None:
        raise Problem(
            409, "该项目估算投资未达到概算评审标准，或尚未进入审核，无需概算评审（第二十五条）", rule="R-25.1"
        )
    if review.status == "completed":
        raise Problem(409, f"该项目已出具概算评审报告 {review.report_no}（第二十五条）", rule="R-25.1")
    if p.terminated or p.suspended:
        state = "终止" if p.terminated else "暂停"
        raise Problem(409, f"项目已被{state}，审批程序不得推进（第三十条）", rule="R-30.2")
    review.status = "completed"
    review.report_no = report_no
    review.reviewed_fen = to_fen(reviewed_amount)
    review.reviewed_on = today
    review.reviewed_by = principal.sub
    p.estimate_review_report_no = report_no
    await emit(
        session,
        EstimateReviewed(
            project_id=project_id,
            report_no=report_no,
            reviewed_amount=reviewed_amount,
            estimated_investment=from_fen(review.estimated_fen),
            reviewed_on=today,
        ),
        actor=principal,
        rule="R-25.1",
    )
    return review


def review_read(r: EstimateReview, as_of: date) -> dict:
    return {
        "project_id": r.project_id,
        "status": r.status,
        "estimated_investment": from_fen(r.estimated_fen),
        "threshold": from_fen(r.threshold_fen),
        "opened_on": r.opened_on,
        "due_on": r.due_on,
        "overdue": is_overdue(r.status, r.due_on, as_of),
        "report_no": r.report_no,
        "reviewed_amount": from_fen(r.reviewed_fen) if r.reviewed_fen is not None else None,
        "reviewed_on": r.reviewed_on,
        "rule": "R-25.1",
        "article": "第二十五条",
    }


async def get_review(session: AsyncSession, project_id: str, principal: Principal, as_of: date) -> dict:
    await visible_project(session, project_id, principal)
    review = await repository.get_by_project(session, project_id)
    if review is None:
        raise Problem(404, "该项目没有概算评审任务")
    return review_read(review, as_of)


async def list_reviews(
    session: AsyncSession,
    principal: Principal,
    status: str | None,
    overdue: bool,
    as_of: date,
    cursor: str | None,
    limit: int,
) -> dict:
    after = cursor_values(cursor, date.fromisoformat, str)
    rows = await repository.list_reviews(
        session,
        status=status,
        overdue_as_of=as_of if overdue else None,
        org=None if principal.citywide else principal.org,
        after=(after[0].isoformat(), after[1]) if after else None,
        limit=limit,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [review_read(r, as_of) for r in rows],
        "next_cursor": encode_cursor([rows[-1].due_on.isoformat(), rows[-1].project_id]) if more else None,
    }
