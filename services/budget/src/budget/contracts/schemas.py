from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import ConfigDict, Field

from govkit.money import Money, SignedMoney

from ..schemas_common import Body, Out, PositiveMoney

ProcurementMethod = Literal[
    "open_tender",
    "invited_tender",
    "competitive_negotiation",
    "competitive_consultation",
    "single_source",
    "inquiry",
    "framework_agreement",
]


class ContractCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "contract_no": "HT-2027-001",
                    "supplier": "某软件有限公司",
                    "amount": "1600000.00",
                    "signed_on": "2027-03-15",
                    "procurement_method": "open_tender",
                }
            ]
        }
    )
    contract_no: str = Field(min_length=1, max_length=120)
    supplier: str = Field(min_length=1, max_length=300)
    amount: PositiveMoney
    procurement_method: ProcurementMethod
    signed_on: date
    document_id: str | None = Field(
        None, max_length=36, description="已上传的合同文件（POST …/projects/{id}/documents，kind=contract）"
    )


class ContractRead(Out):
    id: str
    project_id: str
    contract_no: str
    supplier: str
    amount: Money
    procurement_method: str
    procurement_method_zh: str
    signed_on: date
    compliant: bool
    compliance: dict
    warnings: list[dict] = Field(
        default_factory=list, description="不合规时说明原因（第二十六条）：合同已登记，但不能作为支付依据"
    )
    document_id: str | None = None
    recorded_by: str | None
    created_at: datetime


class ContractList(Out):
    items: list[ContractRead]
    next_cursor: str | None
    contracts_total: Money
    approved_investment: Money | None
    unallocated: SignedMoney | None = None
    over_approved: bool
