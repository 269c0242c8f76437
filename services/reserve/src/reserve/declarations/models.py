from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow


class Declaration(Base):
    """A project declared into the reserve (the project's id is made here, once)."""

    __tablename__ = "declarations"
    __table_args__ = (
        Index("ix_declarations_year_status", "library_year", "status"),
        Index("ix_declarations_created", "created_at", "project_id"),
    )

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    declaration_no: Mapped[str] = mapped_column(String(32), unique=True)
    library_year: Mapped[int]
    org: Mapped[str] = mapped_column(String(80), index=True)
    participant_orgs: Mapped[list[Any]] = mapped_column(default=list)
    cross_department: Mapped[bool] = mapped_column(default=False)
    jurisdiction: Mapped[str] = mapped_column(String(16), default="city")
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[list[Any]] = mapped_column(default=list)
    estimated_investment_fen: Mapped[int] = mapped_column(BigInteger)
    classified: Mapped[bool] = mapped_column(default=False)
    built_by_big_data_group: Mapped[bool] = mapped_column(default=False)
    new_civil_works: Mapped[bool] = mapped_column(default=False)
    high_energy: Mapped[bool] = mapped_column(default=False)
    municipal_budget: Mapped[bool] = mapped_column(default=True)
    route: Mapped[str] = mapped_column(String(20))  # window | special_addition | emergency
    # the item of the approved overall plan the project serves (optional)
    plan_version_id: Mapped[str | None] = mapped_column(String(36))
    plan_item: Mapped[str | None] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(24))
    window_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("windows.id"))
    emergency_type: Mapped[str | None] = mapped_column(String(24))
    emergency_grounds: Mapped[str | None] = mapped_column(Text)
    special_addition_reason: Mapped[str | None] = mapped_column(Text)
    special_addition_requested_on: Mapped[date | None] = mapped_column(Date)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    refusal_rule: Mapped[str | None] = mapped_column(String(20))
    refused_by: Mapped[str | None] = mapped_column(String(200))
    refused_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    declared_on: Mapped[date] = mapped_column(Date)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    admitted_on: Mapped[date | None] = mapped_column(Date)
    admitted_by: Mapped[str | None] = mapped_column(String(40))  # compile | supplement | special_addition
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = optimistic(version)  # the ETag: +1 per transaction that changes the row

    @property
    def orgs(self) -> list[str]:
        return [self.org, *(self.participant_orgs or [])]


class DeclarationOrg(Base):
    """Who may see a declaration: the declaring (lead) org and each cross-department participant."""

    __tablename__ = "declaration_orgs"

    project_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("declarations.project_id", ondelete="CASCADE"), primary_key=True
    )
    org: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16))  # lead | participant


class DeclarationCounter(Base):
    """The last sequence number used per library year (SB-<year>-<seq>), locked FOR UPDATE."""

    __tablename__ = "declaration_counters"

    library_year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)
