"""Adjustments of approved projects (R-20.1, X-20.1) and the re-approvals that a failed R-20.1
opens (R-20.2). AdjustmentFiled is published either way; until a re-approval is approved the old
approval stands (AdjustmentFiled.approved_total = the old approved investment)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock
from govkit.auth import Principal
from govkit.db import utcnow
from govkit.errors import Problem
from govkit.events.approval import AdjustmentFiled, ReapprovalApproved, ReapprovalRejected, ReapprovalStepRecorded
from govkit.money import fmt, from_fen, to_fen
from govkit.outbox import emit
from govkit.rules import violation

from ..applications import repository as app_repo
from ..applications.models import Reapproval
from ..applications.service import ensure_not_blocked, load, policy_of, touch
from ..applications.transitions import APPROVED, ensure_status
from . import repository as repo
from . import rules
from .models import Adjustment

FILED_WITH = ["bdb", "approval_bureau"]  # filed with bdb, copied to approval_bureau
PENDING, REAPPROVED, REJECTED = "pending", "approved", "rejected"


def _items(items) -> list[dict]:
    return [{"name": " ".join(i.name.split()), "amount": fmt(i.amount)} for i in items]


async def _baseline(session: AsyncSession, app) -> tuple[str | None, int]:
    """X-20.1: the approval the 15% counts from — the latest re-approval (R-20.2), else the
    original approval (our reading: a re-approval is a new approval of the plan, basis practice)."""
    latest = await repo.latest_approved_reapproval(session, app.project_id)
    if latest is not None:
        return latest.id, latest.approved_fen
    return None, app.original_approved_fen


async def file_adjustment(session: AsyncSession, principal: Principal, project_id: str, data) -> dict:
    app = await load(session, principal, project_id)
    ensure_not_blocked(app)
    ensure_status(app.status, (APPROVED,), "调整（仅已批复项目可调整）", rule="R-20.1")
    pending = await app_repo.pending_reapproval(session, app.project_id)
    if pending is not None:
        raise Problem(
            409,
            "上一次调整正在重新履行审批手续，批复前不能再次调整（第二十条）",
            rule="R-20.2",
            violations=[violation("R-20.2", "调整方案尚待重新审批", reapproval_id=pending.id)],
        )
    items_before, items_after = _items(data.items_before), _items(data.items_after)
    problems = rules.before_contents_violations(items_before, from_fen(app.approved_fen), app.contents)
    if problems:
        raise Problem(409, problems[0]["message"], rule="R-20.1", violations=problems)
    baseline_id, baseline_fen = await _baseline(session, app)
    prior_fen = await repo.self_adjusted_moved_fen(session, app.project_id, baseline_id)
    moved = rules.money_moved(items_before, items_after)
    new_total = rules.contents_total(items_after)
    violations = rules.self_adjustment_violations(
        policy=policy_of(app),
        original_total=from_fen(baseline_fen),
        prior_moved=from_fen(prior_fen),
        amount_moved=moved,
        new_total=new_total,
        goals_changed=data.goals_changed,
        reason_kind=data.reason_kind,
    )
    outcome = "reapproval_required" if violations else "self_adjusted"
    before = app.approved_fen
    after = to_fen(new_total) if outcome == "self_adjusted" else before
    adj = Adjustment(
        id=str(uuid.uuid4()),
        project_id=app.project_id,
        reason_kind=data.reason_kind,
        amount_moved_fen=to_fen(moved),
        new_total_fen=to_fen(new_total),
        goals_changed=data.goals_changed,
        description=data.description,
        items_before=items_before,
        items_after=items_after,
        outcome=outcome,
        violations=violations,
        baseline_id=baseline_id,
        cumulative_moved_fen=prior_fen + (to_fen(moved) if outcome == "self_adjusted" else 0),
        approved_total_before_fen=before,
        approved_total_after_fen=after,
        filed_by=principal.sub,
        created_at=utcnow(),
    )
    repo.add(session, adj)
    if outcome == "self_adjusted":
        app.approved_fen = after
        app.contents = items_after
    else:
        # back through approval; the old approval stands until then.
        reapproval = Reapproval(
            id=str(uuid.uuid4()),
            project_id=app.project_id,
            adjustment_id=adj.id,
            status=PENDING,
            adjusted_total_fen=to_fen(new_total),
            previous_approved_fen=before,
            version=1,
            created_at=utcnow(),
        )
        repo.add(session, reapproval)
        adj.reapproval_id = reapproval.id
    touch(app)
    await session.flush()
    await emit(
        session,
        AdjustmentFiled(
            project_id=uuid.UUID(app.project_id),
            outcome=outcome,
            reason_kind=data.reason_kind,
            amount_moved=moved,
            new_total=new_total,
            approved_total=from_fen(after),
            reapproval_id=adj.reapproval_id,
        ),
        actor=principal,
        rule=violations[0]["rule"] if violations else "R-20.1",
    )
    return read(adj, baseline_fen)


def read(adj: Adjustment, original_fen: int) -> dict:
    counted_from = {
        "rule": "X-20.1",
        "basis": "practice",
        "approved_total": from_fen(original_fen),
        "reapproval_id": adj.baseline_id,
        "message": (
            "自调整比例按最近一次重新批复的总投资累计计算（第二十条）"
            if adj.baseline_id
            else "自调整比例按原批复总投资累计计算（第二十条）"
        ),
    }
    return {
        "id": adj.id,
        "project_id": adj.project_id,
        "outcome": adj.outcome,
        "violations": adj.violations or [],
        "computation": (
            rules.movement(adj.items_before, adj.items_after)
            if adj.items_before is not None and adj.items_after is not None
            else None
        ),
        "counted_from": counted_from,
        "reason_kind": adj.reason_kind,
        "amount_moved": from_fen(adj.amount_moved_fen),
        "new_total": from_fen(adj.new_total_fen),
        "goals_changed": adj.goals_changed,
        "description": adj.description,
        "items_before": adj.items_before,
        "items_after": adj.items_after,
        "cumulative_moved": from_fen(adj.cumulative_moved_fen),
        "original_approved_total": from_fen(original_fen),
        "approved_total": from_fen(adj.approved_total_after_fen),
        "reapproval_required": adj.reapproval_id,
        "filed_with": FILED_WITH,
        "created_at": adj.created_at,
    }


async def list_adjustments(session: AsyncSession, principal: Principal, project_id: str) -> list[dict]:
    app = await load(session, principal, project_id, for_update=False)
    out = []
    for a in await repo.list_for(session, app.project_id):
        base = app.original_approved_fen or 0
        if a.baseline_id is not None:
            r = await repo.get_reapproval(session, app.project_id, a.baseline_id)
            base = r.approved_fen if r is not None and r.approved_fen is not None else base
        out.append(read(a, base))
    return out


# -- re-approval (R-20.2) ---------------------------------------------------------------------


async def _load_reapproval(
    session, principal: Principal, project_id: str, reapproval_id: str, *, for_update: bool = True
):
    app = await load(session, principal, project_id, for_update=for_update)
    r = await repo.get_reapproval(session, app.project_id, reapproval_id, for_update=for_update)
    if r is None:
        raise Problem(404, "重新审批事项不存在")
    return app, r


def _ensure_pending(app, r: Reapproval, action: str) -> None:
    ensure_not_blocked(app)
    if r.status != PENDING:
        zh = {REAPPROVED: "已重新批复", REJECTED: "未予批准"}.get(r.status, r.status)
        raise Problem(409, f"调整方案{zh}，不能{action}（第二十条）", rule="R-20.2", status_now=r.status)


def _approved_amount(r: Reapproval, document_fen: int | None = None) -> Decimal:
    """The investment the re-approval would approve: the document's, else the amount finance
    reviewed for the adjusted plan (R-25.1), else the adjusted plan's total."""
    fen = document_fen if document_fen is not None else r.document_approved_fen
    if fen is None:
        fen = r.reviewed_fen if r.reviewed_fen is not None else r.adjusted_total_fen
    return from_fen(fen)


def prerequisites(app, r: Reapproval, document_fen: int | None = None, *, with_documents: bool = True) -> list[dict]:
    approved = _approved_amount(r, document_fen)
    out = rules.reapproval_prerequisites(
        technical_opinion=r.technical_opinion_no is not None or not with_documents,
        approved=approved,
        adjusted_total=from_fen(r.adjusted_total_fen),
        leading_group_approved="approve" in (app.leading_group_decision, r.leading_group_decision),
        reviewed=from_fen(r.reviewed_fen)
        if r.reviewed_fen is not None
        else (from_fen(app.reviewed_fen) if app.reviewed_fen is not None else None),
        reapproval_reviewed=from_fen(r.reviewed_fen) if r.reviewed_fen is not None else None,
        policy=policy_of(app),
    )
    if with_documents and r.approval_document_no is None and r.status == PENDING:
        out.append(violation("R-20.2", "调整方案尚未出具市行政审批局审批文件（第二十条）"))
    return out


async def _step(session, app, r: Reapproval, principal, step: str, rule: str, **kw) -> None:
    r.updated_at = utcnow()
    touch(app)
    await session.flush()
    await emit(
        session,
        ReapprovalStepRecorded(project_id=uuid.UUID(app.project_id), reapproval_id=r.id, step=step, **kw),
        actor=principal,
        rule=rule,
    )


async def reapproval_technical_opinion(session, principal: Principal, project_id: str, reapproval_id: str, data):
    app, r = await _load_reapproval(session, principal, project_id, reapproval_id)
    _ensure_pending(app, r, "出具技术审查意见")
    if r.technical_opinion_no is not None:
        raise Problem(409, "调整方案技术审查意见已出具（第二十条）", rule="R-20.2")
    r.technical_opinion_no = data.document_no
    await _step(session, app, r, principal, "technical_opinion", "R-20.2", document_no=data.document_no)
    await try_reapprove(session, app, r, principal)
    return r


async def reapproval_leading_group(session, principal: Principal, project_id: str, reapproval_id: str, data):
    """R-11.2 on the re-approved amount: the leading group decides when it reaches the threshold."""
    app, r = await _load_reapproval(session, principal, project_id, reapproval_id)
    _ensure_pending(app, r, "作出领导小组审定")
    if r.leading_group_decision is not None:
        raise Problem(409, "领导小组已作出审定（第十一条）", rule="R-11.2")
    policy = policy_of(app)
    amount = max(from_fen(r.adjusted_total_fen), _approved_amount(r))
    if amount < policy.leading_group_threshold:
        raise Problem(
            409,
            "调整方案投资低于领导小组审定标准，由部门出具意见（第十一条）",
            rule="R-11.2",
            violations=[
                violation(
                    "R-11.2",
                    "调整方案投资低于领导小组审定标准（第十一条）",
                    amount=str(amount),
                    threshold=str(policy.leading_group_threshold),
                )
            ],
        )
    r.leading_group_decision = data.decision
    await _step(session, app, r, principal, "leading_group", "R-11.2", decision=data.decision)
    if data.decision == "reject":
        await _reject(session, app, r, principal, [f"领导小组审定未通过：{data.opinion}"])
    else:
        await try_reapprove(session, app, r, principal)
    return r


async def reapproval_estimate_review(session, principal: Principal, project_id: str, reapproval_id: str, data):
    """R-25.1 on the adjusted plan: finance reviews its estimate; the reviewed amount is the
    re-approved investment. Recorded on the re-approval itself (basis practice: budget's review
    belongs to the original approval)."""
    app, r = await _load_reapproval(session, principal, project_id, reapproval_id)
    _ensure_pending(app, r, "登记概算评审")
    policy = policy_of(app)
    if from_fen(r.adjusted_total_fen) < policy.estimate_review_threshold:
        raise Problem(
            409,
            "调整方案投资低于概算评审标准（第二十五条）",
            rule="R-25.1",
            violations=[
                violation(
                    "R-25.1",
                    "调整方案投资低于概算评审标准（第二十五条）",
                    threshold=str(policy.estimate_review_threshold),
                )
            ],
        )
    if r.reviewed_fen is not None:
        raise Problem(409, "调整方案概算评审已登记（第二十五条）", rule="R-25.1")
    r.estimate_report_no, r.reviewed_fen = data.report_no, to_fen(data.reviewed_amount)
    await _step(
        session, app, r, principal, "estimate_review", "R-25.1", document_no=data.report_no, amount=data.reviewed_amount
    )
    await try_reapprove(session, app, r, principal)
    return r


async def reapproval_document(session, principal: Principal, project_id: str, reapproval_id: str, data):
    app, r = await _load_reapproval(session, principal, project_id, reapproval_id)
    _ensure_pending(app, r, "出具审批文件")
    if r.approval_document_no is not None:
        raise Problem(409, "调整方案审批文件已出具（第二十条）", rule="R-20.2")
    doc_fen = to_fen(data.approved_investment) if data.approved_investment is not None else None
    problems = prerequisites(app, r, doc_fen, with_documents=False)
    if problems:
        raise Problem(409, problems[0]["message"], rule=problems[0]["rule"], violations=problems)
    r.approval_document_no = data.document_no
    r.document_approved_fen = doc_fen
    r.construction_months = data.construction_months
    await _step(
        session,
        app,
        r,
        principal,
        "approval_document",
        "R-20.2",
        document_no=data.document_no,
        amount=_approved_amount(r),
    )
    await try_reapprove(session, app, r, principal)
    return r


async def try_reapprove(session, app, r: Reapproval, actor) -> bool:
    """Approve the adjusted plan once both documents exist and every prerequisite holds."""
    if r.status != PENDING or app.blocked is not None or prerequisites(app, r):
        return False
    approved = _approved_amount(r)
    r.status, r.approved_fen, r.approved_on = REAPPROVED, to_fen(approved), clock.today()
    adj = await repo.get_adjustment(session, r.adjustment_id)
    app.approved_fen = r.approved_fen
    app.contents = adj.items_after if adj is not None and r.approved_fen == r.adjusted_total_fen else None
    if r.construction_months is not None:
        app.construction_months = r.construction_months
    r.updated_at = utcnow()
    touch(app)
    await session.flush()
    await emit(
        session,
        ReapprovalApproved(
            project_id=uuid.UUID(app.project_id),
            reapproval_id=r.id,
            adjustment_id=r.adjustment_id,
            approved_investment=approved,
            previous_approved_investment=from_fen(r.previous_approved_fen),
            adjusted_total=from_fen(r.adjusted_total_fen),
            technical_opinion_no=r.technical_opinion_no,
            approval_document_no=r.approval_document_no,
            estimate_review_report_no=r.estimate_report_no,
            construction_months=r.construction_months,
            approved_on=r.approved_on,
        ),
        actor=actor,
        rule="R-20.2",
    )
    return True


async def _reject(session, app, r: Reapproval, principal, reasons: list[str]) -> None:
    r.status, r.rejection_reasons = REJECTED, reasons
    r.updated_at = utcnow()
    touch(app)
    await session.flush()
    await emit(
        session,
        ReapprovalRejected(project_id=uuid.UUID(app.project_id), reapproval_id=r.id, reasons=reasons),
        actor=principal,
        rule="R-20.2",
    )


async def reject_reapproval(session, principal: Principal, project_id: str, reapproval_id: str, reasons: list[str]):
    app, r = await _load_reapproval(session, principal, project_id, reapproval_id)
    _ensure_pending(app, r, "作出不予批准决定")
    await _reject(session, app, r, principal, reasons)
    return r


def read_reapproval(app, r: Reapproval) -> dict:
    return {
        "id": r.id,
        "project_id": r.project_id,
        "adjustment_id": r.adjustment_id,
        "status": r.status,
        "adjusted_total": from_fen(r.adjusted_total_fen),
        "previous_approved_investment": from_fen(r.previous_approved_fen),
        "technical_opinion_no": r.technical_opinion_no,
        "leading_group_decision": r.leading_group_decision,
        "estimate_review": (
            {"report_no": r.estimate_report_no, "reviewed_amount": from_fen(r.reviewed_fen)}
            if r.reviewed_fen is not None
            else None
        ),
        "approval_document_no": r.approval_document_no,
        "approved_investment": from_fen(r.approved_fen) if r.approved_fen is not None else None,
        "construction_months": r.construction_months,
        "approved_on": r.approved_on,
        "rejection_reasons": r.rejection_reasons,
        "missing": prerequisites(app, r) if r.status == PENDING else [],
        "version": r.version,
        "created_at": r.created_at,
    }


async def list_reapprovals(session, principal: Principal, project_id: str) -> list[dict]:
    app = await load(session, principal, project_id, for_update=False)
    return [read_reapproval(app, r) for r in await repo.reapprovals_for(session, app.project_id)]


async def get_reapproval(session, principal: Principal, project_id: str, reapproval_id: str) -> dict:
    app, r = await _load_reapproval(session, principal, project_id, reapproval_id, for_update=False)
    return read_reapproval(app, r)
