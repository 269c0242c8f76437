from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from govkit.money import Money

from ..schemas_common import Body, Out, PositiveMoney


class EstimateReviewCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"report_no": "盐财评〔2027〕5号", "reviewed_amount": "1750000.00"}]}
    )
    report_no: str = Field(min_length=1, max_length=120, description="概算评审报告编号")
    reviewed_amount: PositiveMoney = Field(description="评审核定金额（元，十进制字符串）")


class EstimateReviewRead(Out):
    project_id: str
    status: str
    estimated_investment: Money
    threshold: Money
    opened_on: date
    due_on: date
    overdue: bool
    report_no: str | None
    reviewed_amount: Money | None
    reviewed_on: date | None
    rule: str
    article: str


class EstimateReviewList(Out):
    items: list[EstimateReviewRead]
    next_cursor: str | None
