from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SanctionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "level": "criticism",
                    "reason": "逾期未整改（第三十条）",
                    "rectification_id": "3f2c9a1e-7b4d-4c55-9e61-0d2f8a6b1c10",
                }
            ]
        },
        extra="forbid",
    )
    level: Literal["criticism", "defer_investment", "suspend", "terminate"]
    reason: str = Field(min_length=1, max_length=4000)
    rectification_id: uuid.UUID = Field(description="据以处理的整改通知（第三十条：逾期不整改或整改后仍不符合要求的）")


class ResumeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "整改已核查办结，恢复建设"}]})
    reason: str | None = Field(None, max_length=4000, description="恢复建设的理由")


class SanctionOut(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    level: str
    reason: str
    rectification_id: uuid.UUID | None
    applied_on: date
    standing: str
    expected_step: str | None
    skipped_rungs: list[str]
    opened_by: str | None = None
    escalation_basis: str | None = None
    basis: str = "practice"
    rule: str = "R-30.2"
    article: str = "第三十条"


class StandingOut(BaseModel):
    project_id: uuid.UUID
    standing: str
    rule: str = "R-30.2"
    article: str = "第三十条"
