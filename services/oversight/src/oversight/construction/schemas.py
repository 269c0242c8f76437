from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from govkit.money import Money


class Tender(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    method: str = Field(min_length=1, max_length=60)
    awarded_to: str = Field(min_length=1, max_length=200)
    date: date


class Contract(BaseModel):
    contract_no: str = Field(min_length=1, max_length=80)
    supplier: str = Field(min_length=1, max_length=200)
    amount: Money | None = None
    signed_on: date | None = None


class ConstructionIn(BaseModel):
    """Fields the rules require are optional here so that every missing one is reported at once,
    each with its rule (R-15.1, R-16.1, R-16.2, R-17.1)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "implementing_body": "某软件有限公司",
                    "responsible_person": "李四",
                    "supervision_firm": "某工程监理有限公司",
                    "warranty_years": 3,
                    "ip_owner": "ORG-001",
                    "om_plan": "7×24 小时运维，响应 30 分钟",
                    "training_plan": "上线前两轮操作培训",
                    "planned_completion_on": "2027-12-31",
                }
            ]
        },
        extra="forbid",
    )
    implementing_body: str | None = Field(None, max_length=200)
    responsible_person: str | None = Field(None, max_length=100)
    supervision_firm: str | None = Field(None, max_length=200)
    warranty_years: int | None = Field(None, ge=0, le=50)
    ip_owner: str | None = Field(
        None,
        max_length=200,
        description="著作权、专利等成果的所有者。备案时必填，且须为项目建设单位（R-16.2，第十六条）："
        "填建设单位的组织代码（跨部门项目可为任一参与单位）或“项目建设单位”；否则 422 列出该项",
    )
    om_plan: str | None = None
    training_plan: str | None = None
    training_materials: str | None = None
    procurement_classified: bool = False
    planned_completion_on: date | None = None
    tenders: list[Tender] = []
    contracts: list[Contract] = []


class ConstructionOut(BaseModel):
    project_id: uuid.UUID
    filed: bool
    implementing_body: str | None = None
    responsible_person: str | None = None
    supervision_firm: str | None = None
    warranty_years: int | None = None
    ip_owner: str | None = None
    om_plan: str | None = None
    training_plan: str | None = None
    training_materials: str | None = None
    procurement_classified: bool = False
    planned_completion_on: date | None = None
    tenders: list[dict] = []
    contracts: list[dict] = []
    version: int | None = None
    filed_at: datetime | None = None
    updated_at: datetime | None = None
    missing: list[dict] = []
