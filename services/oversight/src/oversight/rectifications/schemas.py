from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Area = Literal[
    "resource_sharing",
    "tendering_procurement",
    "funds",
    "network_security",
    "cryptography",
    "secrecy",
    "mlps",
    "incident",
]
Rung = Literal["criticism", "defer_investment", "suspend", "terminate"]


class RectificationIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"area": "funds", "finding": "合同付款超出年度资金计划", "deadline": "2027-08-31"}]
        },
        extra="forbid",
    )
    finding: str = Field(min_length=1, max_length=4000)
    rule: str | None = Field(None, pattern=r"^[RX]-\d{1,2}\.\d{1,2}$")
    deadline: date
    area: Area = Field(description="监督职责领域（第三十条）：下达整改的部门须具有该职责")
    incident_id: uuid.UUID | None = None
    escalate_to: Rung | None = Field(None, description="逾期或核查不合格时可直接采取的处理（须写明依据）")
    escalation_basis: str | None = Field(None, max_length=2000)


class CloseIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"evidence": "已补充资金计划调整批复，见附件"}]}, extra="forbid"
    )
    evidence: str = Field(min_length=1, max_length=4000)


class VerificationIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"result": "closed", "opinion": "整改到位"}]}, extra="forbid"
    )
    result: Literal["closed", "non_compliant"]
    opinion: str = Field(min_length=1, max_length=4000)


class RectificationOut(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    finding: str
    rule: str
    article: str
    area: str | None
    deadline: date
    incident_id: uuid.UUID | None
    ordered_by: str
    ordered_by_org: str
    ordered_on: date
    status: str
    evidence: str | None
    answered_on: date | None = None
    closed_on: date | None
    closed_late: bool
    verification_result: str | None = None
    verification_opinion: str | None = None
    verified_on: date | None = None
    escalate_to: str | None = None
    escalation_basis: str | None = None
    opens_ladder: bool = False
    ladder: dict | None = None


class OverdueRectification(RectificationOut):
    days_overdue: int
    next_step: str | None
    next_step_label: str | None
    ladder_rule: str = "R-30.2"
