"""The whole-project read model: one flat row per project (no joins to list), the participant
orgs for unit visibility, and the timeline of every event of every service."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, Numeric, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base

MoneyCol = Numeric(16, 2)


class ProjectView(Base):
    __tablename__ = "project_views"

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    status: Mapped[str] = mapped_column(String(30), default="unknown")
    org: Mapped[str | None] = mapped_column(String(80))
    participant_orgs: Mapped[list[Any]] = mapped_column(default=list)
    title: Mapped[str | None] = mapped_column(String(300))
    declaration_no: Mapped[str | None] = mapped_column(String(40))
    project_code: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(40))
    library_year: Mapped[int | None] = mapped_column(Integer)
    route: Mapped[str | None] = mapped_column(String(30))
    jurisdiction: Mapped[str | None] = mapped_column(String(20))
    # lifecycle facts (status is derived from them, so the order events arrive in across services
    # does not change the result)
    declared_on: Mapped[date | None]
    in_reserve: Mapped[bool] = mapped_column(default=False)
    refused: Mapped[bool] = mapped_column(default=False)
    under_review: Mapped[bool] = mapped_column(default=False)
    rejected: Mapped[bool] = mapped_column(default=False)
    approved_on: Mapped[date | None]
    construction_filed: Mapped[bool] = mapped_column(default=False)
    planned_completion_on: Mapped[date | None]
    acceptance_path: Mapped[str | None] = mapped_column(String(20))
    acceptance_stage: Mapped[str | None] = mapped_column(String(30))
    final_accepted_on: Mapped[date | None]
    warranty_ends_on: Mapped[date | None]
    self_evaluation_opens_on: Mapped[date | None]
    self_evaluation_closes_on: Mapped[date | None]
    self_evaluation_rating: Mapped[str | None] = mapped_column(String(20))
    post_evaluation_rating: Mapped[str | None] = mapped_column(String(20))
    suspended: Mapped[bool] = mapped_column(default=False)
    terminated: Mapped[bool] = mapped_column(default=False)
    # money (yuan)
    estimated_investment: Mapped[Decimal | None] = mapped_column(MoneyCol)
    reviewed_amount: Mapped[Decimal | None] = mapped_column(MoneyCol)
    approved_investment: Mapped[Decimal | None] = mapped_column(MoneyCol)
    paid_total: Mapped[Decimal] = mapped_column(MoneyCol, default=Decimal("0.00"))
    surplus_returned: Mapped[Decimal] = mapped_column(MoneyCol, default=Decimal("0.00"))
    funds_mismatch: Mapped[bool] = mapped_column(default=False)
    # reports
    reported_quarters: Mapped[list[Any]] = mapped_column(default=list)  # ["2027-Q1", ...]
    last_report: Mapped[str | None] = mapped_column(String(10))
    development_progress_pct: Mapped[int | None] = mapped_column(Integer)
    investment_completed_total: Mapped[Decimal | None] = mapped_column(MoneyCol)
    funds_used_total: Mapped[Decimal | None] = mapped_column(MoneyCol)
    overdue_notices: Mapped[int] = mapped_column(Integer, default=0)
    # supervision
    incidents: Mapped[int] = mapped_column(Integer, default=0)
    open_rectifications: Mapped[dict[str, Any]] = mapped_column(default=dict)  # id → deadline
    rectifications_total: Mapped[int] = mapped_column(Integer, default=0)
    last_sanction: Mapped[str | None] = mapped_column(String(30))
    sanctions: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    # bookkeeping (deterministic: a rebuild gives the same values)
    version: Mapped[int] = mapped_column(Integer, default=0)  # events applied
    updated_at: Mapped[datetime | None]  # time of the latest event applied

    __table_args__ = (
        Index("ix_project_views_status_id", "status", "project_id"),
        Index("ix_project_views_org_id", "org", "project_id"),
        Index("ix_project_views_org_status_id", "org", "status", "project_id"),
        Index("ix_project_views_year_id", "library_year", "project_id"),
        Index("ix_project_views_year_status_id", "library_year", "status", "project_id"),
    )


class ProjectParticipant(Base):
    """Participant orgs of cross-department projects (a unit sees those too)."""

    __tablename__ = "project_participants"

    org: Mapped[str] = mapped_column(String(80), primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class ProjectSearchTerm(Base):
    """The keyword search's postings (projects.search): one row per term (a character or a pair of
    adjacent characters of title, declaration number, project code, unit) and project; the primary
    key is the posting list of each term in project id order."""

    __tablename__ = "project_search_terms"

    term: Mapped[str] = mapped_column(String(8), primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class ProjectSearchTermCount(Base):
    """How many projects have each term: the search starts from the query's rarest term."""

    __tablename__ = "project_search_term_counts"

    term: Mapped[str] = mapped_column(String(8), primary_key=True)
    projects: Mapped[int] = mapped_column(Integer, default=0)


SeqType = BigInteger().with_variant(Integer(), "sqlite")


class TimelineEntry(Base):
    __tablename__ = "timeline_entries"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    service: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(80))
    time: Mapped[datetime]
    seq: Mapped[int | None] = mapped_column(SeqType)
    actor: Mapped[str | None] = mapped_column(String(200))
    actor_org: Mapped[str | None] = mapped_column(String(80))
    rule: Mapped[str | None] = mapped_column(String(20))
    data: Mapped[dict[str, Any]]

    __table_args__ = (Index("ix_timeline_entries_project_order", "project_id", "time", "service", "seq"),)
