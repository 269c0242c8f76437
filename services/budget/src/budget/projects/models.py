"""A project as budget knows it: the R-26.1 documents, the approved investment, running totals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow


class BudgetProject(Base):
    __tablename__ = "budget_projects"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org: Mapped[str | None] = mapped_column(String(80), index=True)
    participant_orgs: Mapped[list[Any]] = mapped_column(default=list)
    title: Mapped[str] = mapped_column(String(300), default="")
    jurisdiction: Mapped[str] = mapped_column(String(20), default="city")
    declared_on: Mapped[date | None]
    estimated_investment_fen: Mapped[int | None] = mapped_column(BigInteger)
    # From ProjectApproved (R-26.1 documents) and AdjustmentFiled.
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_on: Mapped[date | None]
    approved_investment_fen: Mapped[int | None] = mapped_column(BigInteger)
    original_approved_fen: Mapped[int | None] = mapped_column(BigInteger)
    technical_opinion_no: Mapped[str | None] = mapped_column(String(120))
    approval_document_no: Mapped[str | None] = mapped_column(String(120))
    estimate_review_required: Mapped[bool] = mapped_column(Boolean, default=False)
    estimate_review_report_no: Mapped[str | None] = mapped_column(String(120))
    project_code: Mapped[str | None] = mapped_column(String(40))
    # From oversight and acceptance.
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    suspended_reason: Mapped[str | None] = mapped_column(String(500))
    terminated: Mapped[bool] = mapped_column(Boolean, default=False)
    terminated_reason: Mapped[str | None] = mapped_column(String(500))
    final_accepted_on: Mapped[date | None]
    warranty_ends_on: Mapped[date | None]  # R-27.1: contracts' retention stays payable until then
    settled: Mapped[bool] = mapped_column(Boolean, default=False)
    settled_on: Mapped[date | None]
    # Running totals, kept on the row that payments lock (no overspend under concurrency).
    paid_total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    returned_total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = optimistic(version)  # the ETag: +1 per transaction that changes the row


class BudgetProjectOrg(Base):
    """Who may see the project: its org and the cross-department participants (one row each)."""

    __tablename__ = "budget_project_orgs"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
