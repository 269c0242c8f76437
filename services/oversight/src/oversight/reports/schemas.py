from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from govkit.money import Money


class ProgressReportIn(BaseModel):
    """The nine items of R-18.1 (第十八条), all required."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "year": 2027,
                    "quarter": 2,
                    "procedures": "已批复",
                    "tendering": "已完成公开招标",
                    "start_completion": "2027-04-01 开工",
                    "implementation": "完成需求调研与概要设计",
                    "development_progress_pct": 35,
                    "investment_completed_year": "600000.00",
                    "investment_completed_total": "600000.00",
                    "funds_used_year": "480000.00",
                    "funds_used_total": "480000.00",
                }
            ]
        },
        extra="forbid",
    )
    year: int = Field(ge=2000, le=2100)
    quarter: int = Field(ge=1, le=4)
    procedures: str = Field(min_length=1, max_length=4000, description="手续办理情况")
    tendering: str = Field(min_length=1, max_length=4000, description="招投标情况")
    start_completion: str = Field(min_length=1, max_length=4000, description="开竣工情况")
    implementation: str = Field(min_length=1, max_length=4000, description="项目实施情况")
    development_progress_pct: int = Field(ge=0, le=100, description="当前开发进度（%）")
    investment_completed_year: Money = Field(description="本年度完成投资")
    funds_used_year: Money = Field(description="本年度资金使用")
    investment_completed_total: Money = Field(description="累计完成投资")
    funds_used_total: Money = Field(description="累计资金使用")
    attachments: list[str] = Field(
        default_factory=list, max_length=20, description="附件：已上传文件的 id（POST …/projects/{id}/documents）"
    )

    @model_validator(mode="after")
    def _totals_cover_the_year(self):
        if self.investment_completed_total < self.investment_completed_year:
            raise ValueError("investment_completed_total 不得小于 investment_completed_year")
        if self.funds_used_total < self.funds_used_year:
            raise ValueError("funds_used_total 不得小于 funds_used_year")
        return self


class ProgressReportOut(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    year: int
    quarter: int
    procedures: str
    tendering: str
    start_completion: str
    implementation: str
    development_progress_pct: int
    investment_completed_year: Money
    funds_used_year: Money
    investment_completed_total: Money
    funds_used_total: Money
    attachments: list[str] | None = None
    due_on: date
    reported_on: date
    late: bool
    version: int
    created_at: datetime
    updated_at: datetime


class OverdueReport(BaseModel):
    project_id: uuid.UUID
    org: str | None
    title: str
    year: int
    quarter: int
    due_on: date
    days_overdue: int
    rule: str = "R-18.1"
    article: str = "第十八条"
    notified: bool = False


class OverdueReportList(BaseModel):
    as_of: date
    items: list[OverdueReport]
    next_cursor: str | None


class ScanResult(BaseModel):
    as_of: date
    published: int
    overdue: int
