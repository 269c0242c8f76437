"""The archive index: every document another service stored for a project, as its
`<Service>DocumentStored` event told us (R-22.2). The acceptance service's own documents are in
its `documents` table; the package is the union of both."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


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


class ArchivesAcceptance(Base):
    """R-22.1: the archives acceptance of a project, with the package it accepted (R-22.2) — a
    prerequisite of final acceptance (`prerequisites`)."""

    __tablename__ = "archives_acceptances"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("acceptance_projects.project_id"), index=True)
    report_no: Mapped[str] = mapped_column(String(120))
    passed: Mapped[bool]
    accepted_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    document_id: Mapped[str | None] = mapped_column(String(36))  # the stored 档案验收意见 (govkit.documents)
    manifest: Mapped[dict[str, Any] | None]  # the package as examined and accepted (frozen)
