from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanItemIn(_In):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4000)


class PlanDocumentIn(_In):
    name: str = Field(min_length=1, max_length=200)
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")


class PlanVersionCreate(_In):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "盐城市政务信息化总体规划（2026—2028）",
                    "period_from": 2026,
                    "period_to": 2028,
                    "items": [{"code": "GH-01", "title": "数据共享交换体系"}],
                }
            ]
        }
    )
    title: str = Field(min_length=1, max_length=200)
    period_from: int = Field(ge=2023, le=2100)
    period_to: int = Field(ge=2023, le=2100)
    summary: str = Field("", max_length=20000)
    items: list[PlanItemIn] = Field(min_length=1, max_length=500)
    document: PlanDocumentIn | None = None


class PlanDecisionIn(_In):
    model_config = ConfigDict(json_schema_extra={"examples": [{"decision": "approve", "opinion": "领导小组审定通过"}]})
    decision: Literal["approve", "reject"]
    opinion: str = Field(min_length=1, max_length=4000)


class PlanItemRead(BaseModel):
    code: str
    title: str
    description: str = ""


class PlanVersionRead(BaseModel):
    id: str
    jurisdiction: str
    version_no: int
    title: str
    period_from: int
    period_to: int
    summary: str
    items: list[PlanItemRead]
    document: PlanDocumentIn | None
    status: Literal["draft", "approved", "rejected", "superseded"]
    drafted_by: str
    drafted_on: date
    decided_by: str | None
    decided_on: date | None
    opinion: str | None
    superseded_on: date | None
    created_at: datetime
    version: int
    rule: str = "R-4.1"
    article: str = "第四条"


class PlanVersionList(BaseModel):
    items: list[PlanVersionRead]
    next_cursor: str | None = None
