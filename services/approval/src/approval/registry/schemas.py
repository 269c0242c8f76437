"""Shapes of the registry of existing systems and the shared data catalogs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SystemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(None, min_length=1, max_length=64)
    org: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=500)
    functions: list[str] = []
    data_items: list[str] = []
    is_platform: bool = False


class SystemsBulkIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "org": "ORG-001",
                            "name": "市政务服务网上办事大厅",
                            "functions": ["事项申报", "进度查询"],
                            "data_items": ["法人基本信息"],
                        }
                    ]
                }
            ]
        },
    )
    items: list[SystemIn] = Field(min_length=1, max_length=1000)


class SystemRead(BaseModel):
    id: str
    org: str
    name: str
    functions: list[str]
    data_items: list[str]
    is_platform: bool
    source: str
    project_id: str | None


class CatalogItemIn(BaseModel):
    """R-6.1: every data item has a share type and an open type."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(None, min_length=1, max_length=64)
    org: str = Field(min_length=1, max_length=80)
    catalog: str = ""
    name: str = Field(min_length=1, max_length=300)
    share_type: Literal["unconditional", "conditional", "not_shared"]
    open_type: Literal["unconditional", "conditional", "not_open"]


class CatalogBulkIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "org": "ORG-MSR",
                            "catalog": "市场主体数据",
                            "name": "法人基本信息",
                            "share_type": "conditional",
                            "open_type": "not_open",
                        }
                    ]
                }
            ]
        },
    )
    items: list[CatalogItemIn] = Field(min_length=1, max_length=5000)


class CatalogItemRead(BaseModel):
    id: str
    org: str
    catalog: str
    name: str
    share_type: str
    open_type: str


class BulkResult(BaseModel):
    created: int
    updated: int
    ids: list[str]


class SystemList(BaseModel):
    items: list[SystemRead]
    next_cursor: str | None = Field(description="下一页的 cursor；没有更多时为 null")


class CatalogItemList(BaseModel):
    items: list[CatalogItemRead]
    next_cursor: str | None = Field(description="下一页的 cursor；没有更多时为 null")
