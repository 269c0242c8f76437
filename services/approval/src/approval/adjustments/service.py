"""Adjustments of approved projects (R-20.1, X-20.1); AdjustmentFiled is published either way."""
from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.db import utcnow
from govkit.events.approval import AdjustmentFiled
from govkit.money import from_fen, to_fen
from govkit.outbox import emit

from ..applications.service import ensure_not_blocked, load, policy_of, touch
from ..applications.transitions import APPROVED, ensure_status
from . import repository as repo
from .models import Adjustment
from .rules import self_adjustment_violations

FILED_WITH = ["bdb", "approval_bureau"]  # filed with bdb, copied to approval_bureau


async def file_adjustment(session: AsyncSession, principal: Principal, project_id: str, data) -> dict:
    app = await load(session, principal, project_id)
    ensure_not_blocked(app)
    ensure_status(app.status, (APPROVED,), "调整（仅已批复项目可调整）", rule="R-20.1")
    prior_fen = await repo.self_adjusted_moved_fen(session, app.project_id)
    violations = self_adjustment_violations(
        policy=policy_of(app), original_total=from_fen(app.original_approved_fen), prior_moved=from_fen(prior_fen),
        amount_moved=data.amount_moved, new_total=data.new_total, goals_changed=data.goals_changed,
        reason_kind=data.reason_kind)
    outcome = "reapproval_required" if violations else "self_adjusted"
    before = app.approved_fen
    after = to_fen(data.new_total) if outcome == "self_adjusted" else before
    moved = to_fen(data.amount_moved)
    adj = Adjustment(id=str(uuid.uuid4()), project_id=app.project_id, reason_kind=data.reason_kind,
                     amount_moved_fen=moved, new_total_fen=to_fen(data.new_total), goals_changed=data.goals_changed,
                     description=data.description, outcome=outcome, violations=violations,
                     cumulative_moved_fen=prior_fen + (moved if outcome == "self_adjusted" else 0),
                     approved_total_before_fen=before, approved_total_after_fen=after, filed_by=principal.sub,
                     created_at=utcnow())
    repo.add(session, adj)
    app.approved_fen = after
    touch(app)
    await session.flush()
    await emit(session, AdjustmentFiled(project_id=uuid.UUID(app.project_id), outcome=outcome,
                                        reason_kind=data.reason_kind, amount_moved=data.amount_moved,
                                        new_total=data.new_total, approved_total=from_fen(after)),
               actor=principal, rule=violations[0]["rule"] if violations else "R-20.1")
    return read(adj, app.original_approved_fen)


def read(adj: Adjustment, original_fen: int) -> dict:
    return {"id": adj.id, "project_id": adj.project_id, "outcome": adj.outcome, "violations": adj.violations or [],
            "reason_kind": adj.reason_kind, "amount_moved": from_fen(adj.amount_moved_fen),
            "new_total": from_fen(adj.new_total_fen), "goals_changed": adj.goals_changed,
            "description": adj.description, "cumulative_moved": from_fen(adj.cumulative_moved_fen),
            "original_approved_total": from_fen(original_fen), "approved_total": from_fen(adj.approved_total_after_fen),
            "filed_with": FILED_WITH, "created_at": adj.created_at}


async def list_adjustments(session: AsyncSession, principal: Principal, project_id: str) -> list[dict]:
    app = await load(session, principal, project_id, for_update=False)
    return [read(a, app.original_approved_fen or 0) for a in await repo.list_for(session, app.project_id)]
