"""Use cases of the ledger: the payment gate (R-26.1, R-30.2), ledger views, and reconciliation of
quarterly reports (R-18.1). Never commits."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.clock import quarter_end
from govkit.errors import Problem
from govkit.events.budget import DisbursementRecorded, FundsMismatchFlagged
from govkit.events.oversight import ProgressReported
from govkit.money import fmt, from_fen, to_fen
from govkit.outbox import emit
from govkit.pagination import encode_cursor
from govkit.rules import violation

from ..disbursement_records import repository
from ..disbursement_records.models import Disbursement, FundsReconciliation
from ..funding_plans import repository as plans_repo
from ..funding_plans.rules import payment_within_line
from ..funding_request_records import repository as requests_repo
from ..funding_requests import service as requests_service
from ..funding_requests.rules import payment_against_request, payment_within_contract
from ..gate.rules import missing_documents, payment_state
from ..gate.service import gate_facts
from ..projects import repository as projects_repo
from ..projects.service import balance_fen, visible_project
from ..providers import provided_by
from ..schemas_common import cursor_values
from ..surplus import repository as surplus_repo
from ..surplus import service as surplus_service
from .rules import reconcile_funds, within_approved

ACTOR = "system:budget"


async def record_disbursement(
    session: AsyncSession,
    project_id: str,
    *,
    amount: Decimal,
    purpose: str,
    paid_on: date,
    payee: str | None,
    voucher_no: str | None,
    request_id: str | None,
    principal: Principal,
) -> dict:
    """The payment gate: R-30.2/R-27.1 state, the R-26.1 documents and approved investment, the R-5.1
    confirmed request it settles, the contract's remainder (R-27.1) and the year's R-4.2 plan line —
    every unmet condition listed. The project row is locked first, so parallel requests are decided
    one after another against the running totals: they can never overspend."""
    p = await projects_repo.lock(session, project_id)
    if p is not None and p.org is not None:
        principal.ensure_can_see([p.org, *(p.participant_orgs or [])])
    year = paid_on.year
    view = await gate_facts(session, p, year)
    violations = payment_state(view.facts) + missing_documents(view.facts)
    if p is not None:
        approved, paid, returned = (
            from_fen(p.approved_investment_fen or 0),
            from_fen(p.paid_total_fen),
            from_fen(p.returned_total_fen),
        )
        limit = within_approved(approved, paid, returned, amount)
        if not limit.ok and not (view.facts.settled or view.facts.terminated):
            violations.append(violation("R-26.1", limit.message, **limit.details))
    request = await requests_repo.get(session, request_id, lock=True) if request_id else None
    if request is not None and request.project_id != project_id:
        request = None
    funded = payment_against_request(
        None
        if request is None
        else {
            "id": request.id,
            "status": request.status,
            "amount": from_fen(request.amount_fen),
            "consumed": from_fen(request.consumed_fen),
        },
        amount,
    )
    if not funded.ok:
        violations.append(
            violation(
                "R-5.1",
                funded.message,
                document="funding_request",
                **{
                    **funded.details,
                    **provided_by(
                        "funding_request_confirmation"
                        if request is not None and request.status == "submitted"
                        else "funding_request"
                    ),
                },
            )
        )
    position = None
    if request is not None:
        position = next((c for c in view.contracts if c.contract.id == request.contract_id), None)
        if position is not None:
            c = position.contract
            within = payment_within_contract(c.contract_no, from_fen(c.amount_fen), from_fen(position.paid_fen), amount)
            if not within.ok:
                violations.append(violation("R-27.1", within.message, **within.details))
    line = await plans_repo.line(session, year, project_id)
    planned = payment_within_line(year, from_fen(line.amount_fen) if line else None, view.facts.paid_in_year, amount)
    if not planned.ok:
        violations.append(
            violation(
                "R-4.2",
                planned.message,
                document="funding_plan_line",
                **{**planned.details, **provided_by("funding_plan_line")},
            )
        )
    if violations:
        first = violations[0]
        detail = "不予拨付：" + "；".join(v["message"] for v in violations)
        raise Problem(409, detail, rule=first["rule"], violations=violations)
    assert p is not None and request is not None
    p.paid_total_fen += to_fen(amount)
    contract_id = request.contract_id
    entry = await repository.add(
        session,
        Disbursement(
            id=str(uuid.uuid4()),
            project_id=project_id,
            amount_fen=to_fen(amount),
            purpose=purpose,
            paid_on=paid_on,
            year=year,
            payee=payee,
            voucher_no=voucher_no,
            payment_channel="treasury_centralised",
            paid_total_after_fen=p.paid_total_fen,
            recorded_by=principal.sub,
            request_id=request.id,
            contract_id=contract_id,
        ),
    )
    await emit(
        session,
        DisbursementRecorded(
            project_id=project_id,
            amount=amount,
            purpose=purpose,
            paid_total=from_fen(p.paid_total_fen),
            year=year,
            paid_on=paid_on,
            balance=from_fen(balance_fen(p)),
            request_id=request.id,
            contract_id=contract_id,
        ),
        actor=principal,
        rule="R-26.1",
    )
    await requests_service.consume(session, request, to_fen(amount), principal)
    await surplus_service.settle_if_contracts_paid(session, p, paid_on)
    return {
        **entry_read(entry),
        "paid_total": from_fen(p.paid_total_fen),
        "balance": from_fen(balance_fen(p)),
        "approved_investment": approved,
        "rule": "R-26.1",
        "article": "第二十六条",
    }


def entry_read(e: Disbursement) -> dict:
    return {
        "id": e.id,
        "project_id": e.project_id,
        "amount": from_fen(e.amount_fen),
        "purpose": e.purpose,
        "paid_on": e.paid_on,
        "year": e.year,
        "payee": e.payee,
        "voucher_no": e.voucher_no,
        "payment_channel": e.payment_channel,
        "recorded_by": e.recorded_by,
        "created_at": e.created_at,
        "request_id": e.request_id,
        "contract_id": e.contract_id,
    }


async def ledger_figures(session: AsyncSession, project_id: str, as_of: date) -> dict:
    """The quarterly report's funds figures (R-18.1) as the ledger has them on `as_of`."""
    year_fen = await repository.sum_paid(session, project_id, from_date=date(as_of.year, 1, 1), to_date=as_of)
    total_fen = await repository.sum_paid(session, project_id, to_date=as_of)
    return {"as_of": as_of, "funds_used_year": from_fen(year_fen), "funds_used_total": from_fen(total_fen)}


async def ledger(
    session: AsyncSession, project_id: str, principal: Principal, as_of: date, cursor: str | None, limit: int
) -> dict:
    p = await visible_project(session, project_id, principal)
    after = cursor_values(cursor, int)
    found = await repository.ledger_page(session, project_id, after[0] if after else None, limit)
    more = len(found) > limit
    page_rows = [
        {**entry_read(e), "seq": e.seq, "year_to_date": from_fen(ytd), "cumulative": from_fen(cum)}
        for e, ytd, cum in found[:limit]
    ]
    running = 0
    annual = []
    for y, total in await repository.totals_by_year(session, project_id):
        running += total
        annual.append({"year": y, "total": from_fen(total), "cumulative": from_fen(running)})
    returns = await surplus_repo.list_for_project(session, project_id)
    return {
        "project_id": project_id,
        "approved_investment": from_fen(p.approved_investment_fen) if p.approved_investment_fen is not None else None,
        "paid_total": from_fen(p.paid_total_fen),
        "returned_total": from_fen(p.returned_total_fen),
        "balance": from_fen(balance_fen(p)),
        "items": page_rows,
        "next_cursor": encode_cursor([page_rows[-1]["seq"]]) if more and page_rows else None,
        "annual": annual,
        "report_figures": await ledger_figures(session, project_id, as_of),
        "surplus_returns": [
            {"amount": from_fen(r.amount_fen), "trigger": r.trigger, "returned_on": r.returned_on} for r in returns
        ],
        "payment_channel": "treasury_centralised",
    }


async def reconcile_progress_report(session: AsyncSession, data: ProgressReported) -> FundsReconciliation:
    """R-18.1: a quarterly report's funds used (this year, cumulative) against the ledger up to the
    quarter's end; a mismatch is flagged for oversight."""
    project_id = str(data.project_id)
    end = quarter_end(data.year, data.quarter)
    ledger_total = await repository.sum_paid(session, project_id, to_date=end)
    ledger_year = await repository.sum_paid(session, project_id, from_date=date(data.year, 1, 1), to_date=end)
    decision = reconcile_funds(
        data.funds_used_year, data.funds_used_total, from_fen(ledger_year), from_fen(ledger_total)
    )
    rec = await repository.get_reconciliation(session, project_id, data.year, data.quarter)
    if rec is None:
        rec = await repository.add_reconciliation(
            session,
            FundsReconciliation(
                id=str(uuid.uuid4()),
                project_id=project_id,
                year=data.year,
                quarter=data.quarter,
                reported_year_fen=0,
                reported_total_fen=0,
                ledger_year_fen=0,
                ledger_total_fen=0,
                matched=True,
            ),
        )
    rec.reported_year_fen = to_fen(data.funds_used_year)
    rec.reported_total_fen = to_fen(data.funds_used_total)
    rec.ledger_year_fen, rec.ledger_total_fen = ledger_year, ledger_total
    rec.matched = decision.result == "pass"
    rec.corrected = data.corrected
    await session.flush()
    if not rec.matched:
        p = await projects_repo.get(session, project_id)
        await emit(
            session,
            FundsMismatchFlagged(
                project_id=project_id,
                year=data.year,
                quarter=data.quarter,
                reported_funds_used_total=data.funds_used_total,
                ledger_total=from_fen(ledger_total),
                difference=data.funds_used_total - from_fen(ledger_total),
                org=data.org or (p.org if p else None),
                reported_funds_used_year=data.funds_used_year,
                ledger_year=from_fen(ledger_year),
                difference_year=data.funds_used_year - from_fen(ledger_year),
            ),
            actor=ACTOR,
            rule="R-18.1",
        )
    return rec


def reconciliation_read(r: FundsReconciliation) -> dict:
    d = reconcile_funds(
        from_fen(r.reported_year_fen),
        from_fen(r.reported_total_fen),
        from_fen(r.ledger_year_fen),
        from_fen(r.ledger_total_fen),
    )
    return {
        "year": r.year,
        "quarter": r.quarter,
        "matched": r.matched,
        "corrected": r.corrected,
        "reported_funds_used_year": from_fen(r.reported_year_fen),
        "ledger_year": from_fen(r.ledger_year_fen),
        "reported_funds_used_total": from_fen(r.reported_total_fen),
        "ledger_total": from_fen(r.ledger_total_fen),
        "difference": fmt(from_fen(r.reported_total_fen - r.ledger_total_fen)),
        "check": d.as_dict(),
        "reconciled_at": r.reconciled_at,
    }


async def list_reconciliations(session: AsyncSession, project_id: str, principal: Principal) -> dict:
    await visible_project(session, project_id, principal)
    rows = await repository.list_reconciliations(session, project_id)
    return {"items": [reconciliation_read(r) for r in rows], "next_cursor": None}
