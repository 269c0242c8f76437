"""What the documents endpoints answer (the same shape in every service)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class DocumentOut(BaseModel):
    id: str = Field(description="文件 id")
    project_id: str = Field(description="项目 id")
    kind: str = Field(description="文件类别代码")
    kind_label: str = Field(description="文件类别（中文）")
    title: str = Field(description="标题")
    filename: str = Field(description="上传时的文件名")
    content_type: str = Field(description="按内容识别的格式（MIME）")
    size: int = Field(description="字节数")
    sha256: str = Field(description="SHA-256 校验值（十六进制）")
    sm3: str = Field(description="SM3 校验值（十六进制）")
    version: int = Field(description="版本号（替换旧版时递增）")
    supersedes: str | None = Field(description="被本文件替换的旧版 id")
    superseded_by: str | None = Field(description="替换本文件的新版 id")
    uploader: str = Field(description="上传人（sub）")
    uploader_name: str = Field(description="上传人姓名")
    uploader_org: str = Field(description="上传人单位")
    created_at: datetime = Field(description="上传时间")
    event_id: str | None = Field(description="记录本次上传的 DocumentStored 事件 id")


class DocumentList(BaseModel):
    items: list[DocumentOut]
    next_cursor: str | None = Field(description="下一页的 cursor；没有更多时为 null")
