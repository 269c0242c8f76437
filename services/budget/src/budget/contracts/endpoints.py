"""Government procurement contracts (R-15.1, R-26.1)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from govkit import clock
from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep

from . import service
from .schemas import ContractCreate, ContractList, ContractRead

router = APIRouter(tags=["contracts"])


@router.post("/projects/{project_id}/contracts", summary="登记合同", response_model=ContractRead, status_code=201)
async def record_contract(project_id: UUID, body: ContractCreate, principal: allow("unit"), session: SessionDep):
    """201 with `compliant`; a contract that cannot be paid on (e.g. signed before the approval) is
    recorded with `compliant: false` and says why in `warnings` and in the project's `missing` (R-26.1)."""
    return await service.record_contract(
        session,
        str(project_id),
        contract_no=body.contract_no,
        supplier=body.supplier,
        amount=body.amount,
        procurement_method=body.procurement_method,
        signed_on=body.signed_on,
        principal=principal,
        today=clock.today(),
        document_id=body.document_id,
    )


@router.get("/projects/{project_id}/contracts", summary="合同列表", response_model=ContractList)
async def list_contracts(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    """Every contract with its compliance, and their sum against the approved investment."""
    return await service.list_contracts(session, str(project_id), principal)
