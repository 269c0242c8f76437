"""Next year's O&M funding decisions from evaluation ratings (R-28.1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class OperationFundingDecision(Base):
    __tablename__ = "operation_funding_decisions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(36))
    year: Mapped[int] = mapped_column(Integer, index=True)
    decision: Mapped[str] = mapped_column(String(20))  # funded | reduced | none
    rating: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))  # self_evaluation | post_evaluation
    evaluated_on: Mapped[date]
    basis: Mapped[str] = mapped_column(String(1000))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("project_id", "year"),)
