from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import ConfigDict, Field

from govkit.money import Money, SignedMoney

from ..schemas_common import Body, Out, PositiveMoney


class DisbursementCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "amount": "480000.00",
                    "purpose": "合同首付款",
                    "request_id": "3f2c9a1e-7b4d-4c55-9e61-0d2f8a6b1c10",
                    "paid_on": "2027-04-10",
                    "voucher_no": "GK-2027-0412",
                }
            ]
        }
    )
    amount: PositiveMoney
    purpose: str = Field(min_length=1, max_length=500)
    paid_on: date | None = Field(None, description="支付日期，默认今天；不得晚于今天")
    payee: str | None = Field(None, max_length=300)
    voucher_no: str | None = Field(None, max_length=120, description="国库集中支付凭证号")
    request_id: UUID | None = Field(None, description="本次拨付所对应的、经确认的资金申请（第五条）；必填")


class DisbursementRead(Out):
    id: str
    project_id: str
    amount: Money
    purpose: str
    paid_on: date
    year: int
    payee: str | None
    voucher_no: str | None
    payment_channel: str
    paid_total: Money
    balance: SignedMoney
    approved_investment: Money
    request_id: str | None = None
    contract_id: str | None = None
    rule: str
    article: str


class LedgerEntry(Out):
    id: str
    seq: int
    request_id: str | None = None
    contract_id: str | None = None
    amount: Money
    purpose: str
    paid_on: date
    year: int
    year_to_date: Money
    cumulative: Money
    payment_channel: str
    created_at: datetime


class AnnualSum(Out):
    year: int
    total: Money
    cumulative: Money


class ReportFigures(Out):
    as_of: date
    funds_used_year: Money
    funds_used_total: Money


class SurplusLine(Out):
    amount: Money
    trigger: str
    returned_on: date


class LedgerRead(Out):
    project_id: str
    approved_investment: Money | None
    paid_total: Money
    returned_total: Money
    balance: SignedMoney
    items: list[LedgerEntry]
    next_cursor: str | None
    annual: list[AnnualSum]
    report_figures: ReportFigures
    surplus_returns: list[SurplusLine]


class ReconciliationRead(Out):
    year: int
    quarter: int
    matched: bool
    corrected: bool
    reported_funds_used_year: Money
    ledger_year: Money
    reported_funds_used_total: Money
    ledger_total: Money
    difference: str
    check: dict
    reconciled_at: datetime


class ReconciliationList(Out):
    items: list[ReconciliationRead]
    next_cursor: str | None
