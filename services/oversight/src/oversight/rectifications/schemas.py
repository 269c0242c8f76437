from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Area = Literal["resource_sharing", "tendering_procurement", "funds", "network_security", "cryptography",
               "secrecy", "mlps", "incident", "other"]


class RectificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    finding: str = Field(min_length=1, max_length=4000)
    rule: str | None = Field(None, pattern=r"^[RX]-\d{1,2}\.\d{1,2}$")
    deadline: date
    area: Area | None = None
    incident_id: uuid.UUID | None = None


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    evidence: str = Field(min_length=1, max_length=4000)


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
    closed_on: date | None
    closed_late: bool


class OverdueRectification(RectificationOut):
    days_overdue: int
    next_step: str | None
    next_step_label: str | None
    ladder_rule: str = "R-30.2"
