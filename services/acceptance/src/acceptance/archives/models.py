"""The archive index: every document another service stored for a project, as its
`<Service>DocumentStored` event told us (R-22.2). The acceptance service's own documents are in
its `documents` table; the package is the union of both."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base


class ArchiveEntry(Base):
    __tablename__ = "archive_entries"

    doc_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    service: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(300), default="")
    content_type: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    sm3: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes: Mapped[str | None] = mapped_column(String(36))
    uploader: Mapped[str] = mapped_column(String(200), default="")
    uploader_name: Mapped[str] = mapped_column(String(200), default="")
    uploader_org: Mapped[str] = mapped_column(String(80), default="")
    stored_at: Mapped[datetime]
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(80))
