from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow


class PlanVersion(Base):
    """One version of the overall plan of municipal e-government (总体规划, R-4.1): drafted by bdb,
    approved (审定) by the leading group; never edited — a change is a new version."""

    __tablename__ = "plan_versions"
    __table_args__ = (
        UniqueConstraint("jurisdiction", "version_no", name="uq_plan_versions_jurisdiction_version_no"),
        Index("ix_plan_versions_status", "jurisdiction", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(16), default="city")
    version_no: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    period_from: Mapped[int]
    period_to: Mapped[int]
    summary: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[list[Any]] = mapped_column(default=list)  # [{code, title, description}]
    document_name: Mapped[str | None] = mapped_column(String(200))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # draft | approved | rejected | superseded
    drafted_by: Mapped[str] = mapped_column(String(200))
    drafted_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_on: Mapped[date | None] = mapped_column(Date)
    opinion: Mapped[str | None] = mapped_column(Text)
    superseded_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = optimistic(version)  # the ETag: +1 per transaction that changes the row
