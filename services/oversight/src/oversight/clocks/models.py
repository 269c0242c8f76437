"""X-30.1: which oversight clock notice was pushed (the scans' dedupe): one row per
(project, clock, ref, role, phase)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class ClockNotice(Base):
    __tablename__ = "oversight_clock_notices"

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    clock: Mapped[str] = mapped_column(String(40), primary_key=True)
    ref: Mapped[str] = mapped_column(String(80), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    phase: Mapped[str] = mapped_column(String(20), primary_key=True)  # due | approaching | overdue | cleared
    org: Mapped[str | None] = mapped_column(String(80))
    due_on: Mapped[date | None]
    notified_at: Mapped[datetime] = mapped_column(default=utcnow)
