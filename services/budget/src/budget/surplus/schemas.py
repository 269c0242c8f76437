from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from govkit.money import Money

from ..schemas_common import Body, Out, PositiveMoney


class SurplusReturnCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"amount": "50000.00", "reason": "采购节余"}]})
    amount: PositiveMoney
    reason: str | None = Field(None, max_length=500)


class SurplusReturnRead(Out):
    id: str
    project_id: str
    amount: Money
    trigger: str
    reason: str | None
    returned_on: date
    approved_investment: Money
    paid_total: Money
    rule: str
    article: str


class SurplusReturnList(Out):
    items: list[SurplusReturnRead]
    next_cursor: str | None
    returned_total: Money


class SettlementCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"as_of": "2030-06-30"}]})
    as_of: date | None = Field(None, description="结算日期，默认今天")


class SettlementRead(Out):
    project_id: str
    settled: bool
    trigger: str
    settled_on: date
    returned_total: Money
    paid_total: Money
    message: str
    rule: str
    article: str


class SettlementScan(Out):
    as_of: date
    settled: list[str]
    rule: str
    article: str
