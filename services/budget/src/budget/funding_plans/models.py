"""The annual funding plan (资金计划, R-4.2): per project, the amount to be paid that year. Every
compilation and amendment is a version, kept and never edited in place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class FundingPlan(Base):
    """The current state of a year's plan (one row per year, locked while it is amended)."""

    __tablename__ = "funding_plans"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FundingPlanVersion(Base):
    """One version of a year's plan, as compiled or amended: every line, the reason, who did it."""

    __tablename__ = "funding_plan_versions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list[Any]] = mapped_column(default=list)  # [{"project_id", "amount_fen"}]
    changes: Mapped[list[Any]] = mapped_column(default=list)  # [{"project_id", "before_fen", "after_fen"}]
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    recorded_org: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("year", "version"),)


class FundingPlanLine(Base):
    """The current line of a project in a year's plan (the latest version's)."""

    __tablename__ = "funding_plan_lines"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    project_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(Integer)
