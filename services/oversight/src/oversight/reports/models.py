"""Quarterly progress reports (R-18.1) and the notices of missed ones (one per missed quarter)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow

MoneyCol = Numeric(16, 2)


class ProgressReport(Base):
    __tablename__ = "progress_reports"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    procedures: Mapped[str] = mapped_column(Text)
    tendering: Mapped[str] = mapped_column(Text)
    start_completion: Mapped[str] = mapped_column(Text)
    implementation: Mapped[str] = mapped_column(Text)
    development_progress_pct: Mapped[int] = mapped_column(Integer)
    investment_completed_year: Mapped[Decimal] = mapped_column(MoneyCol)
    funds_used_year: Mapped[Decimal] = mapped_column(MoneyCol)
    investment_completed_total: Mapped[Decimal] = mapped_column(MoneyCol)
    funds_used_total: Mapped[Decimal] = mapped_column(MoneyCol)
    attachments: Mapped[list[Any] | None] = mapped_column(default=list)  # stored document ids
    due_on: Mapped[date]
    reported_on: Mapped[date]
    late: Mapped[bool] = mapped_column(default=False)
    reported_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = optimistic(version)  # the ETag: +1 per transaction that changes the row

    __table_args__ = (UniqueConstraint("project_id", "year", "quarter", name="uq_progress_reports_quarter"),)


class OverdueNotice(Base):
    """ProgressReportOverdue was published for this quarter (the scan's dedupe)."""

    __tablename__ = "overdue_notices"

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[int] = mapped_column(Integer, primary_key=True)
    due_on: Mapped[date]
    notified_at: Mapped[datetime] = mapped_column(default=utcnow)
