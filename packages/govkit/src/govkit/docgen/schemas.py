"""Shapes of the generated-document endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class GenerateIn(BaseModel):
    """文书编号 and, where the document states one, the opinion text. A number not given is made from
    the kind, the year and the project's declaration number (our practice)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"document_no": "盐数审〔2027〕12号", "opinion": "同意"}]}
    )
    document_no: str | None = Field(None, min_length=1, max_length=60, description="文书编号，如 盐数审〔2027〕12号")
    opinion: str | None = Field(None, min_length=1, max_length=4000, description="意见正文（缺省时按记录生成）")


class RuleRef(BaseModel):
    rule: str
    article: str
    basis: str


class GeneratedOut(BaseModel):
    id: str | None = Field(None, description="生成记录 id（GET …/projects/{id}/generated-documents 列出）")
    created_at: datetime | None = None
    kind: str
    kind_label: str
    project_id: str
    document_no: str
    issuer: str
    rules: list[RuleRef]
    docx: dict[str, Any] = Field(
        description="存储的 DOCX 文件记录（id、sha256、sm3、size…）；下载：GET …/documents/{id}"
    )
    pdf: dict[str, Any] = Field(description="存储的 PDF 文件记录")


class GeneratedFile(BaseModel):
    id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    sm3: str
    superseded_by: str | None = None
    download: str = Field(description="下载地址（经网关）：GET /api/v1/<服务>/documents/{id}")


class GeneratedItem(BaseModel):
    id: str
    project_id: str
    kind: str = Field(description="technical_opinion | approval_draft | estimate_review | acceptance_opinion | …")
    kind_label: str = Field(description="文书名，如 技术审核意见")
    document_no: str = Field(description="文书编号")
    issuer: str
    rules: list[RuleRef] = Field(description="所依据的规则编号与条款")
    created_by: str
    created_by_org: str
    created_at: datetime
    docx: GeneratedFile | None
    pdf: GeneratedFile | None


class GeneratedList(BaseModel):
    items: list[GeneratedItem]
    next_cursor: str | None
