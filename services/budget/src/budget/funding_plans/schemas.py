from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import ConfigDict, Field, field_validator

from govkit.money import Money, SignedMoney

from ..schemas_common import Body, Out


class PlanLineIn(Body):
    project_id: UUID
    amount: Money = Field(description="该项目本年度计划拨付金额（元）")


class PlanPut(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "lines": [{"project_id": "3f2c9a1e-7b4d-4c55-9e61-0d2f8a6b1c10", "amount": "800000.00"}],
                    "reason": "项目进度加快，调增年度计划",
                }
            ]
        }
    )
    lines: list[PlanLineIn] = Field(max_length=5000)
    reason: str | None = Field(
        None,
        max_length=500,
        description="编制或调整说明。首次编制（第 1 版）可不填；调整（已有计划时）必填，否则 409（R-4.2，第四条）",
    )

    @field_validator("lines")
    @classmethod
    def _unique(cls, lines: list[PlanLineIn]) -> list[PlanLineIn]:
        seen: set[UUID] = set()
        for line in lines:
            if line.project_id in seen:
                raise ValueError(f"项目 {line.project_id} 重复列入")
            seen.add(line.project_id)
        return lines


class PlanLinePut(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"amount": "900000.00", "reason": "合同进度款提前支付"}]})
    amount: Money = Field(description="该项目本年度计划拨付金额（元）")
    reason: str | None = Field(
        None,
        max_length=500,
        description="调整说明。年度计划已存在时必填（调整），否则 409（R-4.2，第四条）；尚无计划时可不填",
    )


class PlanLineRead(Out):
    project_id: str
    amount: Money
    since_version: int
    title: str | None
    org: str | None
    paid_in_year: Money
    confirmed_outstanding: Money
    available: SignedMoney


class PlanRead(Out):
    year: int
    version: int
    total: Money
    lines: list[PlanLineRead]
    updated_at: datetime
    rule: str
    article: str


class PlanChange(Out):
    project_id: str
    before: Money | None
    after: Money | None


class PlanVersionRead(Out):
    year: int
    version: int
    total: Money
    lines: list[dict]
    changes: list[PlanChange]
    reason: str | None
    recorded_by: str | None
    recorded_org: str | None
    created_at: datetime


class PlanVersionList(Out):
    items: list[PlanVersionRead]
    next_cursor: str | None
