from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class WindowCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "annual",
                    "library_year": 2027,
                    "opens_on": "2026-09-01",
                    "closes_on": "2026-09-30",
                    "title": "2027 年度项目储备申报",
                }
            ]
        },
        extra="forbid",
    )

    kind: Literal["annual", "supplement"]
    library_year: int = Field(ge=2023, le=2100)
    opens_on: date
    closes_on: date
    title: str = Field("", max_length=200)

    @field_validator("closes_on")
    @classmethod
    def _dates_in_order(cls, v: date, info: ValidationInfo) -> date:
        opens_on = info.data.get("opens_on")
        if opens_on is not None and v < opens_on:
            raise ValueError("closes_on 不得早于 opens_on")
        return v


class WindowRead(BaseModel):
    id: str
    kind: str
    library_year: int
    opens_on: date
    closes_on: date
    jurisdiction: str
    title: str
    created_by: str
    created_at: datetime
    version: int
    is_open: bool
    days_left: int | None = None  # days until closes_on (as_of), when open or not yet open


class WindowList(BaseModel):
    items: list[WindowRead]
    next_cursor: str | None = None
