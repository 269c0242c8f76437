"""R-24.1 self-evaluations, R-24.2 post-evaluations, and the self-evaluation clock."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from fastapi import APIRouter

from govkit.auth import AnyPrincipal, allow
from govkit.clock import today
from govkit.db import SessionDep
from govkit.pagination import CursorQuery, LimitQuery
from govkit.versioning import IfMatch

from . import service
from .schemas import CommissionIn, CommissionOut, EvaluationOut, PostEvaluationIn, SelfEvaluationIn

router = APIRouter(tags=["acceptance"])


@router.post("/projects/{project_id}/self-evaluations", status_code=201, response_model=EvaluationOut,
             summary="自评价（验收后12–24个月内，第二十四条）")
async def post_self_evaluation(project_id: uuid.UUID, body: SelfEvaluationIn, principal: allow("unit"),
                               session: SessionDep, if_match: IfMatch = None):
    return await service.submit_self_evaluation(session, principal, project_id, body, if_match)


@router.post("/projects/{project_id}/post-evaluations", status_code=201, response_model=EvaluationOut,
             summary="第三方后评价（第二十四条）")
async def post_post_evaluation(project_id: uuid.UUID, body: PostEvaluationIn,
                               principal: allow("third_party", rule="R-24.2"), session: SessionDep,
                               if_match: IfMatch = None):
    """仅市大数据管理局委托的第三方咨询机构可提交该项目的后评价（第二十四条）。"""
    return await service.complete_post_evaluation(session, principal, project_id, body, if_match)


@router.post("/projects/{project_id}/post-evaluation-commissions", status_code=201, response_model=CommissionOut,
             summary="市大数据管理局委托第三方咨询机构开展后评价（第二十四条）")
async def post_commission(project_id: uuid.UUID, body: CommissionIn, principal: allow("bdb", rule="R-24.2"),
                          session: SessionDep, if_match: IfMatch = None):
    row = await service.commission_post_evaluation(session, principal, project_id, body, if_match)
    return CommissionOut.model_validate(row)


@router.get("/projects/{project_id}/post-evaluation-commissions", summary="后评价委托")
async def list_commissions(project_id: uuid.UUID, principal: AnyPrincipal, session: SessionDep):
    return {"items": await service.list_commissions(session, principal, project_id), "next_cursor": None}


@router.get("/self-evaluations/due", summary="自评价期间已开始或已逾期的项目（第二十四条）")
async def self_evaluations_due(principal: AnyPrincipal, session: SessionDep, as_of: date | None = None,
                               state: Literal["due", "overdue"] | None = None, cursor: CursorQuery = None,
                               limit: LimitQuery = 50):
    return await service.list_due(session, principal, as_of=as_of or today(), overdue_only=state == "overdue",
                                  cursor=cursor, limit=limit)
