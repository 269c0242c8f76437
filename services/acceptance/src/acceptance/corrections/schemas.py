from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

STEP_FIELDS = {
    "preliminary": ("accepted_on", "opinion"),
    "trial_operation": ("starts_on", "ends_on"),
    "final_application": ("applied_on", "planned_on"),
}


class CorrectionIn(BaseModel):
    """The corrected values of one step (only that step's fields) and the reason, kept."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "验收日期录入有误", "accepted_on": "2027-09-21"}]}, extra="forbid"
    )
    reason: str = Field(min_length=1, max_length=2000, description="更正理由")
    accepted_on: date | None = None
    opinion: str | None = Field(default=None, min_length=1)
    starts_on: date | None = None
    ends_on: date | None = None
    applied_on: date | None = None
    planned_on: date | None = None


class ReopenIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "初验意见遗漏遗留问题清单，重新办理"}]}, extra="forbid"
    )
    reason: str = Field(min_length=1, max_length=2000, description="重新打开的理由")
