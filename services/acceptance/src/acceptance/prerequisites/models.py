"""Prerequisites of final acceptance: security and cryptography assessments (R-7.2), the secrecy
review of a classified project (R-23.1); the archives acceptance (R-22.1) is the archive's
(`archives.models.ArchivesAcceptance`). Every result is kept; the latest of each kind counts."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class SecurityAssessment(Base):
    __tablename__ = "security_assessments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("acceptance_projects.project_id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # mlps | risk | crypto
    report_no: Mapped[str] = mapped_column(String(120))
    passed: Mapped[bool]
    assessed_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    document_id: Mapped[str | None] = mapped_column(String(36))  # the stored report


class SecrecyReview(Base):
    __tablename__ = "secrecy_reviews"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("acceptance_projects.project_id"), index=True)
    passed: Mapped[bool]
    operator: Mapped[str] = mapped_column(String(200), default="")
    opinion: Mapped[str | None] = mapped_column(Text)
    reviewed_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    document_id: Mapped[str | None] = mapped_column(String(36))  # the stored review opinion
