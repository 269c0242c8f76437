"""R-24.1 self-evaluations, R-24.2 post-evaluations, and the self-evaluation clock."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.clock import today
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery
from govkit.params import AsOfQuery
from govkit.versioning import IfMatch

from . import service
from .schemas import (
    AnswerIn,
    CommissionIn,
    CommissionOut,
    EvaluationOut,
    OpinionIn,
    OpinionOut,
    PostEvaluationIn,
    SelfEvaluationIn,
)

router = APIRouter(tags=["acceptance"])


@router.post(
    "/projects/{project_id}/self-evaluations",
    status_code=201,
    response_model=EvaluationOut,
    summary="自评价（验收后12–24个月内，第二十四条）",
)
async def post_self_evaluation(
    project_id: uuid.UUID,
    body: SelfEvaluationIn,
    principal: allow("unit"),
    session: SessionDep,
    if_match: IfMatch = None,
):
    return await service.submit_self_evaluation(session, principal, project_id, body, if_match)


@router.post(
    "/projects/{project_id}/post-evaluations",
    status_code=201,
    response_model=EvaluationOut,
    summary="第三方后评价（第二十四条）",
)
async def post_post_evaluation(
    project_id: uuid.UUID,
    body: PostEvaluationIn,
    principal: allow("third_party", rule="R-24.2"),
    session: SessionDep,
    if_match: IfMatch = None,
):
    """仅市大数据管理局委托的第三方咨询机构可提交该项目的后评价（第二十四条）。"""
    return await service.complete_post_evaluation(session, principal, project_id, body, if_match)


@router.post(
    "/projects/{project_id}/post-evaluation-commissions",
    status_code=201,
    response_model=CommissionOut,
    summary="市大数据管理局委托第三方咨询机构开展后评价（第二十四条）",
)
async def post_commission(
    project_id: uuid.UUID,
    body: CommissionIn,
    principal: allow("bdb", rule="R-24.2"),
    session: SessionDep,
    if_match: IfMatch = None,
):
    row = await service.commission_post_evaluation(session, principal, project_id, body, if_match)
    return CommissionOut.model_validate(row)


@router.get("/projects/{project_id}/post-evaluation-commissions", summary="后评价委托")
async def list_commissions(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    return {"items": await service.list_commissions(session, principal, project_id), "next_cursor": None}


@router.get("/self-evaluations/due", summary="自评价期间已开始或已逾期的项目（第二十四条）")
async def self_evaluations_due(
    principal: AnyPrincipal,
    session: SessionDep,
    as_of: AsOfQuery = None,
    state: Literal["due", "overdue"] | None = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
):
    return await service.list_due(
        session, principal, as_of=as_of or today(), overdue_only=state == "overdue", cursor=cursor, limit=limit
    )


@router.post(
    "/evaluations/{evaluation_id}/opinions",
    status_code=201,
    response_model=OpinionOut,
    summary="对评价结果提出整改意见（第二十八条）",
)
async def post_opinion(
    evaluation_id: uuid.UUID,
    body: OpinionIn,
    principal: allow("bdb", "finance", "approval_bureau", "competent_dept", rule="R-28.2"),
    session: SessionDep,
):
    return OpinionOut.model_validate(await service.give_opinion(session, principal, evaluation_id, body))


@router.post(
    "/evaluation-opinions/{opinion_id}/answer",
    response_model=OpinionOut,
    summary="项目建设单位答复整改意见（第二十八条）",
)
async def post_answer(
    opinion_id: uuid.UUID, body: AnswerIn, principal: allow("unit", rule="R-28.2"), session: SessionDep
):
    return OpinionOut.model_validate(await service.answer_opinion(session, principal, opinion_id, body))


@router.get("/projects/{project_id}/evaluation-opinions", summary="评价整改意见及答复（第二十八条）")
async def list_opinions(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    return {"items": await service.project_opinions(session, principal, project_id), "next_cursor": None}


@router.get(
    "/orgs/{org}/evaluation-summary", summary="单位以往评价结果及未答复的整改意见，供审查新申报项目时参阅（第二十八条）"
)
async def evaluation_summary(org: str, principal: AnyPrincipal, session: SessionDep):
    return await service.org_summary(session, principal, org)
