"""The payment gate (R-26.1, R-30.2) and the ledger."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from govkit import clock
from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.errors import ensure_not_future
from govkit.excel import XLSX_RESPONSES, FormatQuery
from govkit.pagination import CursorQuery, LimitQuery
from govkit.params import AsOfQuery

from . import export, service
from .schemas import DisbursementCreate, DisbursementRead, LedgerRead, ReconciliationList

router = APIRouter(tags=["disbursements"])


@router.post(
    "/projects/{project_id}/disbursements", summary="登记支付", response_model=DisbursementRead, status_code=201
)
async def record_disbursement(
    project_id: UUID, body: DisbursementCreate, principal: allow("finance"), session: SessionDep
):
    """201, or 409 listing every unmet condition: while suspended/terminated (R-30.2) or settled
    (R-27.1); every missing R-26.1 document; beyond the approved investment (R-26.1); without a
    confirmed funding request (`request_id`) or beyond what is left of it (R-5.1); beyond the
    contract's unpaid remainder (R-27.1); beyond the year's funding plan line (R-4.2)."""
    ensure_not_future("paid_on", body.paid_on, "支付日期")
    return await service.record_disbursement(
        session,
        str(project_id),
        amount=body.amount,
        purpose=body.purpose,
        paid_on=body.paid_on or clock.today(),
        payee=body.payee,
        voucher_no=body.voucher_no,
        request_id=str(body.request_id) if body.request_id else None,
        principal=principal,
    )


@router.get(
    "/projects/{project_id}/ledger", summary="项目资金台账", response_model=LedgerRead, responses=XLSX_RESPONSES
)
async def get_ledger(
    project_id: UUID,
    principal: AnyPrincipal,
    session: SessionDep,
    as_of: AsOfQuery = None,
    limit: LimitQuery = 200,
    cursor: CursorQuery = None,
    format: FormatQuery = "json",
):
    """Every payment with its year-to-date and cumulative sums; annual sums; the quarterly report's
    funds figures (funds used this year / in total) as of `as_of`. `format=xlsx`: 资金台账 (Excel)."""
    if format == "xlsx":
        return await export.project_ledger(session, principal, str(project_id), as_of or clock.today())
    return await service.ledger(session, str(project_id), principal, as_of or clock.today(), cursor, limit)


@router.get("/projects/{project_id}/reconciliations", summary="季度报告与台账核对", response_model=ReconciliationList)
async def list_reconciliations(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    """Each quarterly report's funds figures against the ledger (R-18.1)."""
    return await service.list_reconciliations(session, str(project_id), principal)
