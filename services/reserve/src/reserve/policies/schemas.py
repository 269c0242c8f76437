from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from govkit.policy import JURISDICTION_PATTERN


class PolicyVersionCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "jurisdiction": "320981",
                    "code": "东政办发〔2026〕8号",
                    "title": "东台市政务信息化项目建设管理办法",
                    "effective_from": "2027-01-01",
                    "parameters": {"leading_group_threshold": "1000000.00"},
                }
            ]
        },
        extra="forbid",
    )

    jurisdiction: str = Field(
        min_length=1,
        max_length=16,
        description="辖区：city（市本级）或盐城市所辖县（市、区）行政区划代码 3209xx（第三十一条）",
        json_schema_extra={"pattern": JURISDICTION_PATTERN},
    )
    code: str = Field(
        min_length=1, max_length=120, description="the measure's document number, e.g. 东政办发〔2026〕8号"
    )
    title: str = Field(default="", max_length=200)
    effective_from: date
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "the parameters that differ from the version in force (money as decimal strings); the rest are inherited"
        ),
    )
    note: str = Field(default="", max_length=2000)


class BaseRef(BaseModel):
    code: str
    jurisdiction: str
    effective_from: date


class PolicyVersionRead(BaseModel):
    id: str | None
    jurisdiction: str
    code: str
    title: str
    effective_from: date
    parameters: dict[str, Any]
    source: Literal["builtin", "api"]
    inherits_from: BaseRef | None = None
    note: str = ""
    added_by: str | None = None
    added_at: datetime | None = None
    rule: str = "R-31.1"


class PolicyVersionList(BaseModel):
    items: list[PolicyVersionRead]
    next_cursor: str | None = None
