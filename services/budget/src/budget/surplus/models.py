"""Surplus returns (结余资金收回, R-27.1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class SurplusReturn(Base):
    __tablename__ = "surplus_returns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    trigger: Mapped[str] = mapped_column(String(20))  # final_accepted | terminated | manual
    reason: Mapped[str | None] = mapped_column(String(500))
    returned_on: Mapped[date]
    approved_fen: Mapped[int] = mapped_column(BigInteger)
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
