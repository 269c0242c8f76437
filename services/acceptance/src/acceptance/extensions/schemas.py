from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ExtensionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"new_date": "2028-06-30", "reason": "密码应用安全性评估排期延后"}]},
        extra="forbid",
    )
    new_date: date
    reason: str = Field(min_length=1)


class ExtensionDecisionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"decision": "grant", "opinion": "同意延期"}]}, extra="forbid"
    )
    decision: Literal["grant", "refuse"]
    opinion: str = Field(min_length=1)


class ExtensionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    project_id: uuid.UUID
    previous_date: date | None
    new_date: date
    reason: str
    status: str
    opinion: str | None
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
