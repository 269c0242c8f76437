"""Adjustments of approved projects (R-20.1, X-20.1); the re-approvals they open (R-20.2) are the
application's (`applications.models.Reapproval`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class Adjustment(Base):
    __tablename__ = "adjustments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("applications.project_id"), index=True)
    reason_kind: Mapped[str] = mapped_column(String(20))
    amount_moved_fen: Mapped[int] = mapped_column(BigInteger)  # computed from the contents
    new_total_fen: Mapped[int] = mapped_column(BigInteger)  # the sum of items_after
    goals_changed: Mapped[bool] = mapped_column(Boolean)
    description: Mapped[str] = mapped_column(Text, default="")
    items_before: Mapped[list[Any] | None]  # [{name, amount}] (amounts as decimal strings)
    items_after: Mapped[list[Any] | None]
    outcome: Mapped[str] = mapped_column(String(30))  # self_adjusted | reapproval_required
    violations: Mapped[list[Any]] = mapped_column(default=list)
    cumulative_moved_fen: Mapped[int] = mapped_column(BigInteger)  # self-adjusted moves incl. this one
    baseline_id: Mapped[str | None] = mapped_column(String(36))  # the re-approval the 15% counts from
    reapproval_id: Mapped[str | None] = mapped_column(String(36))  # the re-approval it opened
    approved_total_before_fen: Mapped[int] = mapped_column(BigInteger)
    approved_total_after_fen: Mapped[int] = mapped_column(BigInteger)
    filed_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
