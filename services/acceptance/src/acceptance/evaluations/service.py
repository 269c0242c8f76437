"""R-24.1 self-evaluations inside their window; R-24.2 post-evaluations commissioned by bdb."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.clock import today
from govkit.errors import Problem, ensure_not_future
from govkit.events.acceptance import (
    EvaluationOpinionAnswered,
    EvaluationOpinionGiven,
    PostEvaluationCommissioned,
    PostEvaluationCompleted,
    SelfEvaluationSubmitted,
)
from govkit.outbox import emit
from govkit.pagination import decode_cursor, page
from govkit.rules import violation

from ..notices import service as notices
from ..projects.access import load_for_step, load_visible
from ..projects.rules import check_self_evaluation_timing, self_evaluation_state
from . import repository
from .models import Evaluation, EvaluationOpinion, PostEvaluationCommission
from .rules import check_answer, check_commission, check_filer, commission_state, evaluation_summary, opinion_role
from .schemas import AnswerIn, CommissionIn, CommissionOut, OpinionIn, OpinionOut, PostEvaluationIn, SelfEvaluationIn


async def submit_self_evaluation(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: SelfEvaluationIn, if_match: str | None
) -> Evaluation:
    project = await load_for_step(session, principal, project_id, if_match)
    if project.stage != "final_accepted":
        raise Problem(409, "自评价须在项目通过竣工验收并投入运行后开展（第二十四条）", rule="R-24.1")
    on = data.submitted_on or today()
    ensure_not_future("submitted_on", on)
    if await repository.of_kind(session, project.project_id, "self") is not None:
        raise Problem(409, "该项目的自评价已提交（第二十四条）", rule="R-24.1")
    timing = check_self_evaluation_timing(on, project.self_evaluation_opens_on, project.self_evaluation_closes_on)
    if not timing.ok:
        raise Problem(
            409, timing.message, rule=timing.rule, violations=[violation(timing.rule, timing.message)], **timing.details
        )
    late = timing.result == "flag"
    row = Evaluation(
        id=uuid.uuid4(),
        project_id=project.project_id,
        kind="self",
        rating=data.rating,
        report=data.report,
        evaluated_on=on,
        late=late,
        recorded_by=principal.sub,
    )
    repository.add(session, row)
    await session.flush()
    await emit(
        session,
        SelfEvaluationSubmitted(
            project_id=project.project_id, rating=data.rating, submitted_on=on, org=project.org or "", late=late
        ),
        actor=principal,
        rule="R-24.1",
    )
    await notices.clear(
        session,
        project,
        clock="self_evaluation",
        ref=project.self_evaluation_closes_on.isoformat(),
        role="unit",
        actor=principal,
        message="已报送自评价",
    )
    return row


async def commission_post_evaluation(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: CommissionIn, if_match: str | None
) -> PostEvaluationCommission:
    """R-24.2: bdb commissions a named third-party org for this project."""
    project = await load_for_step(session, principal, project_id, if_match)
    existing = await repository.commissions(session, project.project_id)
    failed = check_commission(
        stage=project.stage,
        open_commission=any(c.status == "open" for c in existing),
        post_evaluated=await repository.of_kind(session, project.project_id, "post") is not None,
        due_on=data.due_on,
        today=today(),
    )
    if failed:
        raise Problem(409, failed[0].message, rule="R-24.2", violations=[violation(d.rule, d.message) for d in failed])
    row = PostEvaluationCommission(
        id=uuid.uuid4(),
        project_id=project.project_id,
        org=data.org.strip(),
        due_on=data.due_on,
        status="open",
        commissioned_by=principal.sub,
        commissioned_on=today(),
    )
    repository.add(session, row)
    await session.flush()
    await emit(
        session,
        PostEvaluationCommissioned(
            project_id=project.project_id,
            commission_id=str(row.id),
            evaluator_org=row.org,
            due_on=row.due_on,
            org=project.org or "",
            title=project.title,
        ),
        actor=principal,
        rule="R-24.2",
    )
    await notices.open_todo(
        session,
        project,
        clock="post_evaluation",
        role="third_party",
        org=row.org,
        ref=str(row.id),
        rule="R-24.2",
        due_on=row.due_on,
        actor=principal,
        message=f"受市大数据管理局委托开展后评价，请于{row.due_on.isoformat()}前完成（第二十四条）",
    )
    return row


async def list_commissions(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> list[dict]:
    project = await load_visible(session, principal, project_id)
    as_of = today()
    return [
        {
            **CommissionOut.model_validate(c).model_dump(mode="json"),
            "state": commission_state(as_of, c.due_on, c.status == "filed"),
        }
        for c in await repository.commissions(session, project.project_id)
    ]


async def complete_post_evaluation(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: PostEvaluationIn, if_match: str | None
) -> Evaluation:
    project = await load_for_step(session, principal, project_id, if_match)
    commission = next(
        (c for c in reversed(await repository.commissions(session, project.project_id)) if c.status == "open"), None
    )
    filer = check_filer(
        roles=principal.roles, org=principal.org, commissioned_org=commission.org if commission else None
    )
    if not filer.ok:
        raise Problem(403, filer.message, rule=filer.rule, violations=[violation(filer.rule, filer.message)])
    if project.stage != "final_accepted":
        raise Problem(409, "后评价在项目通过验收并投入运行后开展（第二十四条）", rule="R-24.2")
    on = data.completed_on or today()
    ensure_not_future("completed_on", on)
    if on < project.final_accepted_on:
        raise Problem(409, "后评价日期不能早于竣工验收日期（第二十四条）", rule="R-24.2")
    if await repository.of_kind(session, project.project_id, "post") is not None:
        raise Problem(409, "该项目的后评价已记录（第二十四条）", rule="R-24.2")
    evaluator = data.evaluator or principal.name or principal.org
    late = on > commission.due_on
    row = Evaluation(
        id=uuid.uuid4(),
        project_id=project.project_id,
        kind="post",
        rating=data.rating,
        report=data.report,
        evaluated_on=on,
        late=late,
        evaluator=evaluator,
        recorded_by=principal.sub,
    )
    repository.add(session, row)
    commission.status, commission.evaluation_id = "filed", row.id
    await session.flush()
    await emit(
        session,
        PostEvaluationCompleted(
            project_id=project.project_id,
            rating=data.rating,
            completed_on=on,
            org=project.org or "",
            evaluator=evaluator or "",
            commission_id=str(commission.id),
            evaluator_org=principal.org,
            late=late,
        ),
        actor=principal,
        rule="R-24.2",
    )
    await notices.clear(
        session,
        project,
        clock="post_evaluation",
        ref=str(commission.id),
        role="third_party",
        actor=principal,
        message="已提交后评价",
    )
    return row


async def list_due(
    session: AsyncSession, principal: Principal, *, as_of: date, overdue_only: bool, cursor: str | None, limit: int
) -> dict:
    rows = await repository.self_evaluations_due(
        session,
        as_of=as_of,
        overdue_only=overdue_only,
        unit_org=None if principal.citywide else principal.org,
        after=decode_cursor(cursor),
        limit=limit + 1,
    )
    result = page(rows, limit, lambda p: [p.self_evaluation_opens_on.isoformat(), str(p.project_id)])
    items = []
    for p in result["items"]:
        state = self_evaluation_state(as_of, p.self_evaluation_opens_on, p.self_evaluation_closes_on)
        items.append(
            {
                "project_id": str(p.project_id),
                "org": p.org,
                "title": p.title,
                "final_accepted_on": p.final_accepted_on,
                "opens_on": p.self_evaluation_opens_on,
                "closes_on": p.self_evaluation_closes_on,
                "state": state,
                "days_overdue": (as_of - p.self_evaluation_closes_on).days if state == "overdue" else 0,
                "rule": "R-24.1",
                "article": "第二十四条",
                "message": (
                    "自评价已逾期，请尽快报送市大数据管理局、市财政局（第二十四条）"
                    if state == "overdue"
                    else "自评价期间已开始，请报送市大数据管理局、市财政局（第二十四条）"
                ),
            }
        )
    result["items"] = items
    return result


# --- rectification opinions on evaluation results, answered by the unit ---------------------
def _opinion_dict(o: EvaluationOpinion, as_of: date) -> dict:
    return {
        **OpinionOut.model_validate(o).model_dump(mode="json"),
        "overdue": o.status == "open" and o.due_on is not None and as_of > o.due_on,
    }


async def give_opinion(
    session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID, data: OpinionIn
) -> EvaluationOpinion:
    evaluation = await repository.get(session, evaluation_id)
    if evaluation is None:
        raise Problem(404, "评价不存在")
    project = await load_visible(session, principal, evaluation.project_id)
    if data.due_on is not None and data.due_on < today():
        raise Problem(422, "答复期限不能早于今天", violations=[{"field": "due_on", "message": "in the past"}])
    role = opinion_role(principal.roles)
    row = EvaluationOpinion(
        id=uuid.uuid4(),
        project_id=project.project_id,
        evaluation_id=evaluation.id,
        org=project.org or "",
        by_role=role,
        by_org=principal.org,
        opinion=data.opinion,
        due_on=data.due_on,
        status="open",
    )
    repository.add(session, row)
    await session.flush()
    await emit(
        session,
        EvaluationOpinionGiven(
            project_id=project.project_id,
            opinion_id=str(row.id),
            evaluation_id=str(evaluation.id),
            kind=evaluation.kind,
            rating=evaluation.rating,
            by_role=role,
            opinion=data.opinion,
            due_on=data.due_on,
            org=row.org,
        ),
        actor=principal,
        rule="R-28.2",
    )
    await notices.open_todo(
        session,
        project,
        clock="evaluation_opinion",
        role="unit",
        org=row.org,
        ref=str(row.id),
        rule="R-28.2",
        due_on=data.due_on,
        actor=principal,
        message=f"评价整改意见待答复（第二十八条）：{data.opinion[:60]}",
    )
    return row


async def answer_opinion(
    session: AsyncSession, principal: Principal, opinion_id: uuid.UUID, data: AnswerIn
) -> EvaluationOpinion:
    row = await repository.get_opinion(session, opinion_id, for_update=True)
    if row is None:
        raise Problem(404, "整改意见不存在")
    project = await load_visible(session, principal, row.project_id)
    decision = check_answer(status=row.status, answering_org=principal.org, unit_org=row.org)
    if not decision.ok:
        raise Problem(
            409, decision.message, rule=decision.rule, violations=[violation(decision.rule, decision.message)]
        )
    row.status, row.answer, row.answered_on, row.answered_by = "answered", data.answer, today(), principal.sub
    await session.flush()
    await emit(
        session,
        EvaluationOpinionAnswered(
            project_id=project.project_id,
            opinion_id=str(row.id),
            answer=data.answer,
            answered_on=row.answered_on,
            org=row.org,
        ),
        actor=principal,
        rule="R-28.2",
    )
    await notices.clear(
        session, project, clock="evaluation_opinion", ref=str(row.id), role="unit", actor=principal, message="已答复"
    )
    return row


async def project_opinions(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> list[dict]:
    project = await load_visible(session, principal, project_id)
    as_of = today()
    return [_opinion_dict(o, as_of) for o in await repository.opinions_for_project(session, project.project_id)]


async def org_summary(session: AsyncSession, principal: Principal, org: str) -> dict:
    """R-28.2: a unit's earlier ratings and open opinions, for the reviewers of its new declarations."""
    if not principal.citywide and principal.org != org:
        raise Problem(404, "单位不存在")
    as_of = today()
    ratings = [
        {
            "project_id": str(p.project_id),
            "title": p.title,
            "kind": e.kind,
            "rating": e.rating,
            "evaluated_on": e.evaluated_on.isoformat(),
            "late": e.late,
            "evaluator": e.evaluator,
        }
        for e, p in await repository.for_org(session, org)
    ]
    opinions = [_opinion_dict(o, as_of) for o in await repository.opinions_of_org(session, org)]
    return {
        "org": org,
        "as_of": as_of,
        **evaluation_summary(ratings, opinions),
        "rule": "R-28.2",
        "article": "第二十八条",
    }
