from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FindingIn(BaseModel):
    """R-29.1: a unit refused to cooperate, concealed, or reported falsely in an evaluation or audit."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "refusal", "finding": "拒绝提供合同原件（第二十九条）"}]},
        extra="forbid",
    )
    kind: Literal["refusal", "concealment", "false_reporting"]
    finding: str = Field(min_length=1, max_length=4000)


class FindingOut(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    rule: str
    article: str
    kind: str
    finding: str
    source: str
    recorded_at: datetime
