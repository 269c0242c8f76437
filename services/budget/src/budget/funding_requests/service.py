"""Use cases of funding requests (R-5.1): the unit asks, bdb confirms against the plan (R-4.2),
finance pays through the gate. Never commits."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.db import touch, utcnow
from govkit.documents import service as documents
from govkit.errors import Problem
from govkit.events.budget import (
    FundingRequestConfirmed,
    FundingRequested,
    FundingRequestFulfilled,
    FundingRequestReturned,
)
from govkit.money import from_fen, to_fen
from govkit.outbox import emit
from govkit.pagination import encode_cursor
from govkit.rules import violation

from ..contracts import repository as contracts_repo
from ..contracts.models import Contract
from ..disbursement_records import repository as ledger_repo
from ..funding_plans import repository as plans_repo
from ..funding_plans.rules import confirmation_within_line
from ..funding_request_records import repository
from ..funding_request_records.models import FundingRequest
from ..gate.rules import payment_state
from ..gate.service import contract_positions, gate_facts
from ..projects import repository as projects_repo
from ..projects.models import BudgetProject
from ..projects.service import visible_project
from ..schemas_common import cursor_values
from .rules import STATUS_ZH, decision_allowed, request_within_contract


def request_read(r: FundingRequest, contract: Contract | None = None) -> dict:
    return {
        "id": r.id,
        "project_id": r.project_id,
        "year": r.year,
        "amount": from_fen(r.amount_fen),
        "paid": from_fen(r.consumed_fen),
        "remaining": from_fen(r.amount_fen - r.consumed_fen),
        "purpose": r.purpose,
        "contract_id": r.contract_id,
        "contract_no": contract.contract_no if contract else None,
        "evidence": r.evidence or [],
        "status": r.status,
        "status_zh": STATUS_ZH.get(r.status, r.status),
        "opinion": r.opinion,
        "requested_by": r.requested_by,
        "decided_by": r.decided_by,
        "decided_at": r.decided_at,
        "created_at": r.created_at,
        "version": r.version,
        "rule": "R-5.1",
        "article": "第五条",
    }


async def _read(session: AsyncSession, r: FundingRequest) -> dict:
    return request_read(r, await contracts_repo.get(session, r.contract_id))


async def _refuse_closed(session: AsyncSession, p: BudgetProject) -> None:
    state = payment_state((await gate_facts(session, p)).facts)
    if state:
        raise Problem(409, "；".join(v["message"] for v in state), rule=state[0]["rule"], violations=state)


async def file_request(
    session: AsyncSession,
    project_id: str,
    *,
    amount: Decimal,
    purpose: str,
    contract_id: str,
    evidence: list[dict],
    year: int,
    principal: Principal,
) -> dict:
    """R-5.1: the unit names the amount, purpose, the contract it pays and its evidence."""
    p = await visible_project(session, project_id, principal, lock=True)
    await _refuse_closed(session, p)
    if not p.approved:
        raise Problem(
            409,
            "项目尚未批复，不能提出资金申请（第五条）",
            rule="R-5.1",
            violations=[violation("R-5.1", "项目尚未批复，不能提出资金申请（第五条）", state="under_review")],
        )
    contract = await contracts_repo.get(session, contract_id)
    if contract is None or contract.project_id != project_id:
        raise Problem(
            422,
            "输入不合规：contract_id",
            violations=[{"field": "contract_id", "message": "合同不存在或不属于本项目", "type": "value_error"}],
        )
    position = next(c for c in await contract_positions(session, p) if c.contract.id == contract_id)
    if not position.compliant:
        message = f"合同 {contract.contract_no} 不合规，不能据以申请资金：{position.reason}"
        raise Problem(
            409,
            message,
            rule="R-26.1",
            violations=[
                violation(
                    "R-26.1",
                    message,
                    contract_id=contract_id,
                    contract_no=contract.contract_no,
                    document="procurement_contract",
                )
            ],
        )
    decision = request_within_contract(
        contract.contract_no,
        from_fen(contract.amount_fen),
        from_fen(position.paid_fen),
        from_fen(await repository.open_on_contract_fen(session, contract_id)),
        amount,
    )
    if not decision.ok:
        raise Problem(
            409,
            decision.message,
            rule="R-5.1",
            violations=[violation("R-5.1", decision.message, basis="practice", **decision.details)],
        )
    for i, e in enumerate(evidence):  # invoices / milestone evidence: stored documents of this project
        await documents.require(session, project_id, e.get("document_id"), field=f"evidence[{i}].document_id")
    r = await repository.add(
        session,
        FundingRequest(
            id=str(uuid.uuid4()),
            project_id=project_id,
            org=p.org,
            year=year,
            amount_fen=to_fen(amount),
            consumed_fen=0,
            purpose=purpose,
            contract_id=contract_id,
            evidence=evidence,
            status="submitted",
            requested_by=principal.sub,
            version=1,
        ),
    )
    touch(p)
    await emit(
        session,
        FundingRequested(
            project_id=project_id,
            request_id=r.id,
            year=year,
            amount=amount,
            purpose=purpose,
            contract_id=contract_id,
            contract_no=contract.contract_no,
            evidence=evidence,
            org=p.org,
        ),
        actor=principal,
        rule="R-5.1",
    )
    return request_read(r, contract)


async def decide(
    session: AsyncSession, request_id: str, decision: str, opinion: str | None, principal: Principal
) -> dict:
    """bdb confirms a request against the year's funding plan (R-4.2), or returns it with its opinion."""
    found = await repository.get(session, request_id)
    if found is None:
        raise Problem(404, "资金申请不存在")
    p = await projects_repo.lock(session, found.project_id)  # the project first, as payments do
    r = await repository.get(session, request_id, lock=True)
    assert p is not None and r is not None
    allowed = decision_allowed(r.status)
    if not allowed.ok:
        raise Problem(
            409, allowed.message, rule="R-5.1", violations=[violation("R-5.1", allowed.message, status=r.status)]
        )
    amount = from_fen(r.amount_fen)
    if decision == "return":
        if not opinion:
            raise Problem(
                422,
                "输入不合规：opinion",
                violations=[{"field": "opinion", "message": "退回资金申请须写明意见（第五条）", "type": "value_error"}],
            )
        r.status, r.opinion = "returned", opinion
    else:
        await _refuse_closed(session, p)
        line = await plans_repo.line(session, r.year, r.project_id)
        paid = await ledger_repo.sum_paid(
            session, r.project_id, from_date=date(r.year, 1, 1), to_date=date(r.year, 12, 31)
        )
        outstanding = await repository.outstanding_confirmed_fen(session, r.project_id, r.year, exclude=r.id)
        check = confirmation_within_line(
            r.year, from_fen(line.amount_fen) if line else None, from_fen(paid), from_fen(outstanding), amount
        )
        if not check.ok:
            raise Problem(
                409,
                check.message,
                rule="R-4.2",
                violations=[violation("R-4.2", check.message, document="funding_plan_line", **check.details)],
            )
        r.status, r.opinion = "confirmed", opinion
    r.decided_by, r.decided_at = principal.sub, utcnow()
    touch(p)
    if decision == "return":
        await emit(
            session,
            FundingRequestReturned(
                project_id=r.project_id, request_id=r.id, amount=amount, opinion=opinion or "", org=p.org
            ),
            actor=principal,
            rule="R-5.1",
        )
    else:
        await emit(
            session,
            FundingRequestConfirmed(
                project_id=r.project_id, request_id=r.id, year=r.year, amount=amount, opinion=opinion, org=p.org
            ),
            actor=principal,
            rule="R-5.1",
        )
    return await _read(session, r)


async def consume(session: AsyncSession, r: FundingRequest, amount_fen: int, principal: Principal | str) -> None:
    """A payment settles (part of) a confirmed request; consumed in full it is `paid`."""
    r.consumed_fen += amount_fen
    if r.consumed_fen >= r.amount_fen:
        r.status = "paid"
        await emit(
            session,
            FundingRequestFulfilled(project_id=r.project_id, request_id=r.id, amount=from_fen(r.amount_fen), org=r.org),
            actor=principal,
            rule="R-5.1",
        )


async def get_request(session: AsyncSession, request_id: str, principal: Principal) -> dict:
    r = await repository.get(session, request_id)
    if r is None:
        raise Problem(404, "资金申请不存在")
    await visible_project(session, r.project_id, principal)
    return await _read(session, r)


async def list_requests(
    session: AsyncSession,
    principal: Principal,
    *,
    project_id: str | None,
    status: str | None,
    year: int | None,
    cursor: str | None,
    limit: int,
) -> dict:
    if project_id is not None:
        await visible_project(session, project_id, principal)
    after = cursor_values(cursor, int)
    rows = await repository.list_requests(
        session,
        project_id=project_id,
        org=None if principal.citywide else principal.org,
        status=status,
        year=year,
        after=after[0] if after else None,
        limit=limit,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [await _read(session, r) for r in rows],
        "next_cursor": encode_cursor([rows[-1].seq]) if more and rows else None,
    }
