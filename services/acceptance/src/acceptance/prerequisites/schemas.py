from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ArchivesAcceptanceIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"passed": True, "report_no": "盐档验〔2028〕3号", "accepted_on": "2028-01-10"}]
        },
        extra="forbid",
    )
    report_no: str = Field(min_length=1, max_length=120)
    passed: bool
    accepted_on: date | None = None
    document_id: str | None = Field(
        default=None, description="已上传的档案验收意见（POST …/projects/{id}/documents 返回的 id）"
    )


class SecurityAssessmentIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "mlps", "passed": True, "report_no": "DJCP-2027-0456", "assessed_on": "2027-12-20"}]
        },
        extra="forbid",
    )
    kind: Literal["mlps", "crypto", "risk"]
    report_no: str = Field(min_length=1, max_length=120)
    passed: bool
    assessed_on: date | None = None
    document_id: str | None = Field(
        default=None, description="已上传的测评/评估报告（POST …/projects/{id}/documents 返回的 id）"
    )


class SecrecyReviewIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"passed": True, "opinion": "不涉及国家秘密", "reviewed_on": "2027-12-01"}]},
        extra="forbid",
    )
    passed: bool
    operator: str = Field(default="", max_length=200, description="负责运行使用管理的专门机构或人员（第二十三条）")
    opinion: str | None = None
    reviewed_on: date | None = None
    document_id: str | None = Field(
        default=None, description="已上传的保密审查意见（POST …/projects/{id}/documents 返回的 id）"
    )


class RecordOut(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    kind: str
    passed: bool
    report_no: str | None = None
    operator: str | None = None
    on: date
    missing: list[dict] = []
