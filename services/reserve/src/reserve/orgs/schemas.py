from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from govkit.policy import JURISDICTION_PATTERN


class OrgJurisdictionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"jurisdiction": "320981", "name": "东台市数据局"}]},
        extra="forbid",
        str_strip_whitespace=True,
    )

    jurisdiction: str = Field(
        min_length=1,
        max_length=16,
        description="辖区：city（市本级）或盐城市所辖县（市、区）行政区划代码 3209xx（第三十一条）",
        json_schema_extra={"pattern": JURISDICTION_PATTERN},
    )
    name: str = Field("", max_length=200)


class OrgJurisdictionRead(BaseModel):
    org: str
    jurisdiction: str
    name: str
    updated_by: str
    updated_at: datetime
    version: int
    rule: str = "R-31.1"


class OrgJurisdictionList(BaseModel):
    items: list[OrgJurisdictionRead]
    next_cursor: str | None = None
