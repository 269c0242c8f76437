"""Use cases of procurement contracts (R-15.1, R-26.1). Never commits."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.db import touch
from govkit.documents import service as documents
from govkit.errors import Problem, ensure_not_future
from govkit.events.budget import ContractRecorded
from govkit.money import from_fen, to_fen
from govkit.outbox import emit
from govkit.rules import violation

from ..projects.models import BudgetProject
from ..projects.service import visible_project
from ..providers import provided_by
from . import repository
from .models import Contract
from .rules import PROCUREMENT_METHODS, contract_compliance


def contract_read(c: Contract, p: BudgetProject) -> dict:
    decision = contract_compliance(c.procurement_method, c.signed_on, p.approved_on)
    warnings = (
        []
        if decision.ok
        else [
            violation(
                "R-26.1",
                f"合同 {c.contract_no} 已登记，但不能作为支付依据：{decision.message}",
                document="procurement_contract",
                contract_no=c.contract_no,
                **provided_by("procurement_contract"),
            )
        ]
    )
    return {
        "warnings": warnings,
        "id": c.id,
        "project_id": c.project_id,
        "contract_no": c.contract_no,
        "supplier": c.supplier,
        "amount": from_fen(c.amount_fen),
        "procurement_method": c.procurement_method,
        "procurement_method_zh": PROCUREMENT_METHODS.get(c.procurement_method, c.procurement_method),
        "signed_on": c.signed_on,
        "compliant": decision.ok,
        "compliance": decision.as_dict(),
        "document_id": c.document_id,
        "recorded_by": c.recorded_by,
        "created_at": c.created_at,
    }


async def record_contract(
    session: AsyncSession,
    project_id: str,
    *,
    contract_no: str,
    supplier: str,
    amount: Decimal,
    procurement_method: str,
    signed_on: date,
    principal: Principal,
    today: date,
    document_id: str | None = None,
) -> dict:
    p = await visible_project(session, project_id, principal, lock=True)
    await documents.require(session, project_id, document_id, kinds=("contract",))
    ensure_not_future("signed_on", signed_on, "签订日期", today=today)
    if p.terminated or p.suspended:
        state = "终止" if p.terminated else "暂停建设"
        raise Problem(
            409,
            f"项目已被{state}，不得登记新的采购合同（第三十条）",
            rule="R-30.2",
            violations=[violation("R-30.2", f"项目已被{state}（第三十条）")],
        )
    if await repository.get_by_no(session, project_id, contract_no) is not None:
        raise Problem(409, f"合同编号 {contract_no} 已登记", rule="R-15.1")
    c = await repository.add(
        session,
        Contract(
            id=str(uuid.uuid4()),
            project_id=project_id,
            contract_no=contract_no,
            supplier=supplier,
            amount_fen=to_fen(amount),
            procurement_method=procurement_method,
            signed_on=signed_on,
            recorded_by=principal.sub,
            recorded_org=principal.org,
            document_id=document_id,
        ),
    )
    total = sum(x.amount_fen for x in await repository.list_for_project(session, project_id))
    touch(p)
    await emit(
        session,
        ContractRecorded(
            project_id=project_id,
            contract_no=contract_no,
            supplier=supplier,
            amount=amount,
            procurement_method=procurement_method,
            signed_on=signed_on,
            contracts_total=from_fen(total),
            document_id=document_id,
        ),
        actor=principal,
        rule="R-26.1",
    )
    return contract_read(c, p)


async def list_contracts(session: AsyncSession, project_id: str, principal: Principal) -> dict:
    p = await visible_project(session, project_id, principal)
    contracts = await repository.list_for_project(session, project_id)
    total = sum(c.amount_fen for c in contracts)
    approved = p.approved_investment_fen
    return {
        "items": [contract_read(c, p) for c in contracts],
        "next_cursor": None,
        "contracts_total": from_fen(total),
        "approved_investment": from_fen(approved) if approved is not None else None,
        "unallocated": from_fen(approved - total) if approved is not None else None,
        "over_approved": approved is not None and total > approved,
    }
