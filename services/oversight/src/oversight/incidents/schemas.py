from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class IncidentIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "serious_delay", "description": "核心供应商停工，工期预计延误 3 个月（第十九条）"}]
        },
        extra="forbid",
    )
    kind: Literal["serious_delay", "major_loss"]
    description: str = Field(min_length=1, max_length=4000)


class IncidentOut(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    kind: str
    description: str
    routed_to: list[str]
    copied_to: list[str]
    reported_by: str
    reported_at: datetime
    rule: str = "R-19.1"
    article: str = "第十九条"


class IncidentList(BaseModel):
    items: list[IncidentOut]
    next_cursor: str | None = Field(None, description="下一页的 cursor；没有更多时为 null")
