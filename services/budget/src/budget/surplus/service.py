"""Use cases of surplus returns (R-27.1). Never commits."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem, ensure_not_future
from govkit.events.budget import ProjectSettled, SurplusReturned
from govkit.money import from_fen, to_fen
from govkit.outbox import emit
from govkit.rules import violation

from ..gate.service import contract_positions
from ..projects import repository as projects_repo
from ..projects.models import BudgetProject
from ..projects.service import visible_project
from . import repository
from .models import SurplusReturn
from .rules import manual_return, settlement_due, surplus_at_final_acceptance, surplus_on_close

ACTOR = "system:budget"


async def settle(session: AsyncSession, p: BudgetProject, trigger: str, on: date) -> SurplusReturn | None:
    """R-27.1 when the project closes. Terminated: the whole unspent balance is returned and the books
    close. Finally accepted: the surplus — what no contract commits — is returned once; each
    contract's unpaid remainder (e.g. warranty retention) stays payable, and the books close when the
    last contract is paid or the warranty ends. Waits for the approval if the closing event came first."""
    if p.settled or not p.approved:
        return None
    if trigger == "terminated":
        return await close_books(session, p, "terminated", on)
    if any(r.trigger == "final_accepted" for r in await repository.list_for_project(session, p.project_id)):
        return None  # the same acceptance heard again
    owed_fen = sum(c.owed_fen for c in await contract_positions(session, p))
    approved, paid, returned = (
        from_fen(p.approved_investment_fen or 0),
        from_fen(p.paid_total_fen),
        from_fen(p.returned_total_fen),
    )
    decision = surplus_at_final_acceptance(approved, paid, returned, from_fen(owed_fen))
    amount = Decimal(decision.details["surplus"])
    kept = Decimal(decision.details["contracts_owed"])
    row = await _record_return(session, p, amount, trigger, decision.message, on, kept)
    if kept <= 0:
        await _mark_settled(session, p, "contracts_paid", on, amount)
    return row


async def close_books(session: AsyncSession, p: BudgetProject, trigger: str, on: date) -> SurplusReturn | None:
    """Return whatever is left of the approved investment and close the books (R-27.1)."""
    if p.settled or not p.approved:
        return None
    approved, paid, returned = (
        from_fen(p.approved_investment_fen or 0),
        from_fen(p.paid_total_fen),
        from_fen(p.returned_total_fen),
    )
    decision = surplus_on_close(approved, paid, returned)
    amount = Decimal(decision.details["surplus"])
    row = await _record_return(session, p, amount, trigger, decision.message, on, Decimal("0.00"))
    await _mark_settled(session, p, trigger, on, amount)
    return row


async def _record_return(
    session: AsyncSession, p: BudgetProject, amount: Decimal, trigger: str, reason: str, on: date, kept: Decimal
) -> SurplusReturn:
    approved, paid = from_fen(p.approved_investment_fen or 0), from_fen(p.paid_total_fen)
    row = await repository.add(
        session,
        SurplusReturn(
            id=str(uuid.uuid4()),
            project_id=p.project_id,
            amount_fen=to_fen(amount),
            trigger=trigger,
            reason=reason,
            returned_on=on,
            approved_fen=p.approved_investment_fen or 0,
            paid_fen=p.paid_total_fen,
            recorded_by=ACTOR,
        ),
    )
    p.returned_total_fen += to_fen(amount)
    await emit(
        session,
        SurplusReturned(
            project_id=p.project_id,
            amount=amount,
            trigger=trigger,
            approved_investment=approved,
            paid_total=paid,
            returned_total=from_fen(p.returned_total_fen),
            contracts_owed=kept,
        ),
        actor=ACTOR,
        rule="R-27.1",
    )
    return row


async def _mark_settled(session: AsyncSession, p: BudgetProject, trigger: str, on: date, returned: Decimal) -> None:
    p.settled, p.settled_on = True, on
    await emit(
        session,
        ProjectSettled(
            project_id=p.project_id,
            trigger=trigger,
            settled_on=on,
            returned=returned,
            paid_total=from_fen(p.paid_total_fen),
        ),
        actor=ACTOR,
        rule="R-27.1",
    )


async def settle_if_contracts_paid(session: AsyncSession, p: BudgetProject, on: date) -> None:
    """After a payment: a finally accepted project whose contracts are all paid closes its books."""
    if p.settled or p.terminated or not p.final_accepted_on:
        return
    owed = sum(c.owed_fen for c in await contract_positions(session, p))
    if settlement_due(True, from_fen(owed), on, p.warranty_ends_on).details.get("trigger") == "contracts_paid":
        await close_books(session, p, "contracts_paid", on)


async def close_when_due(session: AsyncSession, p: BudgetProject, as_of: date, principal: Principal | str) -> dict:
    """Finance (or the periodic scan) closes the books of a finally accepted project once due:
    contracts all paid, or the warranty ended (R-27.1). 409 naming what is still owed otherwise."""
    if p.settled:
        raise Problem(
            409,
            "项目已结算（第二十七条）",
            rule="R-27.1",
            violations=[violation("R-27.1", "项目已结算（第二十七条）", state="settled")],
        )
    if p.terminated:
        raise Problem(
            409,
            "项目已终止，结余已收回（第三十条）",
            rule="R-30.2",
            violations=[violation("R-30.2", "项目已终止（第三十条）", state="terminated")],
        )
    positions = await contract_positions(session, p)
    owed = from_fen(sum(c.owed_fen for c in positions))
    decision = settlement_due(bool(p.final_accepted_on) and p.approved, owed, as_of, p.warranty_ends_on)
    if not decision.details.get("due"):
        raise Problem(
            409,
            decision.message,
            rule="R-27.1",
            violations=[
                violation(
                    "R-27.1",
                    decision.message,
                    contracts_owed=str(owed),
                    warranty_ends_on=p.warranty_ends_on.isoformat() if p.warranty_ends_on else None,
                    contracts=[
                        {"contract_no": c.contract.contract_no, "owed": str(from_fen(c.owed_fen))}
                        for c in positions
                        if c.owed_fen > 0
                    ],
                )
            ],
        )
    await close_books(session, p, decision.details["trigger"], as_of)
    return {
        "project_id": p.project_id,
        "settled": True,
        "trigger": decision.details["trigger"],
        "settled_on": as_of,
        "returned_total": from_fen(p.returned_total_fen),
        "paid_total": from_fen(p.paid_total_fen),
        "message": decision.message,
        "rule": "R-27.1",
        "article": "第二十七条",
        **({"basis": "practice"} if decision.details.get("basis") else {}),
    }


async def return_surplus(
    session: AsyncSession, project_id: str, amount: Decimal, reason: str | None, principal: Principal, today: date
) -> dict:
    """A surplus returned during construction (targets and contents unchanged)."""
    p = await visible_project(session, project_id, principal, lock=True)
    if not p.approved:
        raise Problem(409, "项目尚未批复，无结余资金可收回（第二十七条）", rule="R-27.1")
    if p.settled:
        raise Problem(409, "项目已结算，结余资金已收回（第二十七条）", rule="R-27.1")
    owed = from_fen(sum(c.owed_fen for c in await contract_positions(session, p)))
    decision = manual_return(
        from_fen(p.approved_investment_fen or 0),
        from_fen(p.paid_total_fen),
        from_fen(p.returned_total_fen),
        amount,
        owed,
    )
    if not decision.ok:
        raise Problem(409, decision.message, rule="R-27.1", violations=[violation("R-27.1", decision.message)])
    row = await repository.add(
        session,
        SurplusReturn(
            id=str(uuid.uuid4()),
            project_id=project_id,
            amount_fen=to_fen(amount),
            trigger="manual",
            reason=reason,
            returned_on=today,
            approved_fen=p.approved_investment_fen or 0,
            paid_fen=p.paid_total_fen,
            recorded_by=principal.sub,
        ),
    )
    p.returned_total_fen += to_fen(amount)
    await emit(
        session,
        SurplusReturned(
            project_id=project_id,
            amount=amount,
            trigger="manual",
            approved_investment=from_fen(row.approved_fen),
            paid_total=from_fen(p.paid_total_fen),
            returned_total=from_fen(p.returned_total_fen),
        ),
        actor=principal,
        rule="R-27.1",
    )
    return surplus_read(row)


def surplus_read(r: SurplusReturn) -> dict:
    return {
        "id": r.id,
        "project_id": r.project_id,
        "amount": from_fen(r.amount_fen),
        "trigger": r.trigger,
        "reason": r.reason,
        "returned_on": r.returned_on,
        "approved_investment": from_fen(r.approved_fen),
        "paid_total": from_fen(r.paid_fen),
        "rule": "R-27.1",
        "article": "第二十七条",
    }


async def list_returns(session: AsyncSession, project_id: str, principal: Principal) -> dict:
    await visible_project(session, project_id, principal)
    rows = await repository.list_for_project(session, project_id)
    return {
        "items": [surplus_read(r) for r in rows],
        "next_cursor": None,
        "returned_total": from_fen(sum(r.amount_fen for r in rows)),
    }


async def settle_expired(session: AsyncSession, as_of: date) -> list[str]:
    """The periodic scan (R-27.1): every finally accepted project whose warranty has ended closes its
    books and returns what its contracts left unpaid."""
    closed = []
    for pid in await projects_repo.warranty_ended_ids(session, as_of):
        p = await projects_repo.lock(session, pid)
        if p is not None and not p.settled and not p.terminated:
            await close_books(session, p, "warranty_ended", as_of)
            closed.append(pid)
    return closed


async def close_project(session: AsyncSession, project_id: str, principal: Principal, as_of: date) -> dict:
    ensure_not_future("as_of", as_of, "结算日期")
    p = await visible_project(session, project_id, principal, lock=True)
    return await close_when_due(session, p, as_of, principal)
