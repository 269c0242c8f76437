from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from govkit.money import Money


class AdjustmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason_kind: Literal["deployment", "technical", "business", "other"]
    amount_moved: Money
    new_total: Money
    goals_changed: bool
    description: str = Field(min_length=1)


class AdjustmentRead(BaseModel):
    id: str
    project_id: str
    outcome: str
    violations: list[dict]
    reason_kind: str
    amount_moved: Money
    new_total: Money
    goals_changed: bool
    description: str
    cumulative_moved: Money
    original_approved_total: Money
    approved_total: Money
    filed_with: list[str]
    created_at: datetime
