"""Rectification orders (R-30.1) with a deadline; overdue ones lead up the sanctions ladder (R-30.2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class Rectification(Base):
    __tablename__ = "rectifications"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    finding: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(20))
    area: Mapped[str | None] = mapped_column(String(40))
    deadline: Mapped[date]
    incident_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    ordered_by: Mapped[str] = mapped_column(String(40))  # the bureau (role) that ordered it
    ordered_by_org: Mapped[str] = mapped_column(String(80))
    ordered_by_sub: Mapped[str] = mapped_column(String(200))
    ordered_on: Mapped[date]
    # open → answered (the unit, with evidence) → closed | non_compliant (the ordering department
    # verifies, R-30.1); a non-compliant order may be answered again.
    status: Mapped[str] = mapped_column(String(20), default="open")
    evidence: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None]
    answered_by: Mapped[str | None] = mapped_column(String(200))
    closed_on: Mapped[date | None]  # verified as closed
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_late: Mapped[bool] = mapped_column(default=False)  # the answer came after the deadline
    verification_result: Mapped[str | None] = mapped_column(String(20))  # closed | non_compliant
    verification_opinion: Mapped[str | None] = mapped_column(Text)
    verified_on: Mapped[date | None]
    verified_by: Mapped[str | None] = mapped_column(String(200))
    non_compliant_on: Mapped[date | None]  # first verified non-compliant (R-30.2: opens the ladder)
    escalate_to: Mapped[str | None] = mapped_column(String(30))  # the order allows this rung at once
    escalation_basis: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_rectifications_open_deadline", "status", "deadline"),)
