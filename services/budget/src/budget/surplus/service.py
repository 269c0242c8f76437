"""Use cases of surplus returns (R-27.1). Never commits."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.budget import SurplusReturned
from govkit.money import from_fen, to_fen
from govkit.outbox import emit
from govkit.rules import violation

from ..projects.models import BudgetProject
from . import repository
from .models import SurplusReturn
from .rules import manual_return, surplus_on_close

ACTOR = "system:budget"


async def settle(session: AsyncSession, p: BudgetProject, trigger: str, on: date) -> SurplusReturn | None:
    """Close the books once: the unspent balance is returned (R-27.1). Waits for the approval if
    the closing event came first."""
    if p.settled or not p.approved:
        return None
    approved, paid, returned = (from_fen(p.approved_investment_fen or 0), from_fen(p.paid_total_fen),
                                from_fen(p.returned_total_fen))
    decision = surplus_on_close(approved, paid, returned)
    amount = Decimal(decision.details["surplus"])
    row = await repository.add(session, SurplusReturn(
        id=str(uuid.uuid4()), project_id=p.project_id, amount_fen=to_fen(amount), trigger=trigger,
        reason=decision.message, returned_on=on, approved_fen=p.approved_investment_fen or 0,
        paid_fen=p.paid_total_fen, recorded_by=ACTOR))
    p.returned_total_fen += to_fen(amount)
    p.settled = True
    p.version += 1
    await emit(session, SurplusReturned(
        project_id=p.project_id, amount=amount, trigger=trigger, approved_investment=approved, paid_total=paid,
        returned_total=from_fen(p.returned_total_fen)), actor=ACTOR, rule="R-27.1")
    return row


async def return_surplus(session: AsyncSession, project_id: str, amount: Decimal, reason: str | None,
                         principal: Principal, today: date) -> dict:
    """A surplus returned during construction (targets and contents unchanged)."""
    from ..projects.service import visible_project

    p = await visible_project(session, project_id, principal, lock=True)
    if not p.approved:
        raise Problem(409, "项目尚未批复，无结余资金可收回（第二十七条）", rule="R-27.1")
    if p.settled:
        raise Problem(409, "项目已结算，结余资金已收回（第二十七条）", rule="R-27.1")
    decision = manual_return(from_fen(p.approved_investment_fen or 0), from_fen(p.paid_total_fen),
                             from_fen(p.returned_total_fen), amount)
    if not decision.ok:
        raise Problem(409, decision.message, rule="R-27.1", violations=[violation("R-27.1", decision.message)])
    row = await repository.add(session, SurplusReturn(
        id=str(uuid.uuid4()), project_id=project_id, amount_fen=to_fen(amount), trigger="manual", reason=reason,
        returned_on=today, approved_fen=p.approved_investment_fen or 0, paid_fen=p.paid_total_fen,
        recorded_by=principal.sub))
    p.returned_total_fen += to_fen(amount)
    p.version += 1
    await emit(session, SurplusReturned(
        project_id=project_id, amount=amount, trigger="manual", approved_investment=from_fen(row.approved_fen),
        paid_total=from_fen(p.paid_total_fen), returned_total=from_fen(p.returned_total_fen)),
        actor=principal, rule="R-27.1")
    return surplus_read(row)


def surplus_read(r: SurplusReturn) -> dict:
    return {"id": r.id, "project_id": r.project_id, "amount": from_fen(r.amount_fen), "trigger": r.trigger,
            "reason": r.reason, "returned_on": r.returned_on, "approved_investment": from_fen(r.approved_fen),
            "paid_total": from_fen(r.paid_fen), "rule": "R-27.1", "article": "第二十七条"}


async def list_returns(session: AsyncSession, project_id: str, principal: Principal) -> dict:
    from ..projects.service import visible_project

    await visible_project(session, project_id, principal)
    rows = await repository.list_for_project(session, project_id)
    return {"items": [surplus_read(r) for r in rows], "next_cursor": None,
            "returned_total": from_fen(sum(r.amount_fen for r in rows))}
