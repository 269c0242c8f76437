"""`generated_documents`: one row per document a service generated (govkit.docgen) — what it was,
its number, the rules it rests on, and the two stored files (DOCX, PDF) in `documents`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow


class GeneratedDocument(Base):
    __tablename__ = "generated_documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(40))  # docgen.KINDS
    document_no: Mapped[str] = mapped_column(String(80))
    issuer: Mapped[str] = mapped_column(String(200))
    rules: Mapped[list[Any]]  # [{rule, article, basis}]
    docx_id: Mapped[str] = mapped_column(String(36))  # documents.id
    pdf_id: Mapped[str] = mapped_column(String(36))
    created_by: Mapped[str] = mapped_column(String(200))
    created_by_org: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_generated_documents_project", "project_id", "created_at", "id"),)
