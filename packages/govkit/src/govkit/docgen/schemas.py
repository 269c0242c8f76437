"""Shapes of the generated-document endpoints."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class GenerateIn(BaseModel):
    """文书编号 and, where the document states one, the opinion text. A number not given is made from
    the kind, the year and the project's declaration number (our practice)."""

    model_config = ConfigDict(extra="forbid")
    document_no: str | None = Field(None, min_length=1, max_length=60, description="文书编号，如 盐数审〔2027〕12号")
    opinion: str | None = Field(None, min_length=1, max_length=4000, description="意见正文（缺省时按记录生成）")


class RuleRef(BaseModel):
    rule: str
    article: str
    basis: str


class GeneratedOut(BaseModel):
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
