"""Finance's estimate review (R-25.1)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter

from govkit import clock
from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery
from govkit.params import AsOfQuery

from . import service
from .schemas import EstimateReviewCreate, EstimateReviewList, EstimateReviewRead

router = APIRouter(tags=["estimate-reviews"])


@router.post(
    "/projects/{project_id}/estimate-review",
    summary="登记概算评审结果",
    response_model=EstimateReviewRead,
    status_code=201,
)
async def record_estimate_review(
    project_id: UUID, body: EstimateReviewCreate, principal: allow("finance"), session: SessionDep
):
    """R-25.1: finance's report number and reviewed amount; publishes EstimateReviewed."""
    today = clock.today()
    review = await service.record_review(
        session, str(project_id), body.report_no, body.reviewed_amount, principal, today
    )
    return service.review_read(review, today)


@router.get("/projects/{project_id}/estimate-review", summary="概算评审详情", response_model=EstimateReviewRead)
async def get_estimate_review(project_id: UUID, principal: AnyPrincipal, session: SessionDep, as_of: AsOfQuery = None):
    return await service.get_review(session, str(project_id), principal, as_of or clock.today())


@router.get("/estimate-reviews", summary="概算评审任务列表", response_model=EstimateReviewList)
async def list_estimate_reviews(
    principal: AnyPrincipal,
    session: SessionDep,
    status: Literal["open", "completed"] | None = None,
    overdue: bool = False,
    as_of: AsOfQuery = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
):
    """Finance's review tasks by due date; `overdue=true` → open reviews past their due date."""
    return await service.list_reviews(session, principal, status, overdue, as_of or clock.today(), cursor, limit)
