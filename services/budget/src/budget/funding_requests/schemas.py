from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import ConfigDict, Field, field_validator

from govkit.money import Money

from ..schemas_common import Body, Out, PositiveMoney


class Evidence(Body):
    kind: Literal["invoice", "milestone", "acceptance_record", "other"] = Field(
        description="invoice 发票 · milestone 里程碑完成证明 · acceptance_record 验收记录 · other 其他"
    )
    ref: str = Field(min_length=1, max_length=300, description="发票号、里程碑名称或文件说明")
    document_id: str | None = Field(None, max_length=64, description="已上传文件的 id（如有）")


class FundingRequestCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "amount": "480000.00",
                    "purpose": "合同首付款（30%）",
                    "contract_id": "3f2c9a1e-7b4d-4c55-9e61-0d2f8a6b1c10",
                    "evidence": [
                        {
                            "kind": "invoice",
                            "ref": "发票 No.04512345",
                            "document_id": "3f2c9a1e-7b4d-4c55-9e61-0d2f8a6b1c10",
                        }
                    ],
                }
            ]
        }
    )
    amount: PositiveMoney
    purpose: str = Field(min_length=1, max_length=500)
    contract_id: UUID = Field(description="所支付的采购合同（本项目已登记的合同 id）")
    evidence: list[Evidence] = Field(min_length=1, max_length=50, description="发票或里程碑证明；也可为一段文字说明")
    year: int | None = Field(None, ge=2000, le=2100, description="拨付年度，默认今年（须在该年度资金计划内）")

    @field_validator("evidence", mode="before")
    @classmethod
    def _text_evidence(cls, v):
        if isinstance(v, str):
            return [{"kind": "other", "ref": v}] if v.strip() else []
        return v


class FundingDecisionCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"decision": "confirm", "opinion": "符合年度资金计划"}]})
    decision: Literal["confirm", "return"]
    opinion: str | None = Field(None, max_length=1000, description="确认或退回意见；退回时必填")


class FundingRequestRead(Out):
    id: str
    project_id: str
    year: int
    amount: Money
    paid: Money
    remaining: Money
    purpose: str
    contract_id: str
    contract_no: str | None
    evidence: list[dict]
    status: str
    status_zh: str
    opinion: str | None
    requested_by: str | None
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime
    version: int
    rule: str
    article: str


class FundingRequestList(Out):
    items: list[FundingRequestRead]
    next_cursor: str | None
