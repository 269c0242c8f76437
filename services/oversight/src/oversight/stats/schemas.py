"""统计: aggregates of the whole-project view (counts and amounts by stage, RAG status, year and unit)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class Amounts(BaseModel):
    projects: int = Field(description="项目数")
    estimated_investment: str = Field(description="申报估算投资合计（元）")
    approved_investment: str = Field(description="批复投资合计（元）")
    investment: str = Field(description="投资合计（元）：已批复的按批复投资，其余按申报估算")
    paid_total: str = Field(description="已支付合计（元）")


class StageAmounts(Amounts):
    status: str = Field(description="阶段（项目一览的 status）")


class YearAmounts(Amounts):
    library_year: int | None = Field(description="储备库年度（无年度的项目为 null）")


class UnitAmounts(Amounts):
    org: str | None = Field(description="项目建设单位")


class UnitYearAmounts(Amounts):
    org: str | None
    library_year: int | None


class RatingCount(BaseModel):
    rating: Literal["green", "amber", "red"]
    projects: int


class ProjectStats(BaseModel):
    """我可见的全部项目的汇总（与项目一览同一授权：全市角色看全部，建设单位看本单位及参与的项目）。"""

    as_of: date
    total: Amounts
    by_stage: list[StageAmounts]
    by_rating: list[RatingCount]
    by_year: list[YearAmounts]
    by_unit: list[UnitAmounts]
    by_unit_year: list[UnitYearAmounts]
