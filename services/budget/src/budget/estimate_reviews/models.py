"""Finance's investment estimate review (概算评审, R-25.1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class EstimateReview(Base):
    __tablename__ = "estimate_reviews"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(36), unique=True)
    estimated_fen: Mapped[int] = mapped_column(BigInteger)
    threshold_fen: Mapped[int] = mapped_column(BigInteger)
    opened_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | completed
    report_no: Mapped[str | None] = mapped_column(String(120))
    reviewed_fen: Mapped[int | None] = mapped_column(BigInteger)
    reviewed_on: Mapped[date | None]
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
