"""Applications for review and approval, their materials, automated checks and reviews."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow

Fen = BigInteger


class Application(Base):
    """One project's way through review and approval (money in integer fen)."""

    __tablename__ = "applications"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    declaration_no: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    org: Mapped[str] = mapped_column(String(80), index=True)
    participant_orgs: Mapped[list[Any]] = mapped_column(default=list)
    lead_org: Mapped[str | None] = mapped_column(String(80))
    library_year: Mapped[int] = mapped_column(Integer)
    estimated_fen: Mapped[int] = mapped_column(Fen)
    description: Mapped[str] = mapped_column(Text, default="")
    classified: Mapped[bool] = mapped_column(Boolean, default=False)
    built_by_big_data_group: Mapped[bool] = mapped_column(Boolean, default=False)
    new_civil_works: Mapped[bool] = mapped_column(Boolean, default=False)
    high_energy: Mapped[bool] = mapped_column(Boolean, default=False)
    declared_on: Mapped[date]
    jurisdiction: Mapped[str] = mapped_column(String(20), default="city")
    route: Mapped[str] = mapped_column(String(20))
    emergency_type: Mapped[str | None] = mapped_column(String(40))

    status: Mapped[str] = mapped_column(String(20), index=True)  # open|under_review|approved|rejected
    blocked: Mapped[str | None] = mapped_column(String(20))  # suspended|terminated
    compliance: Mapped[dict[str, Any] | None]
    round: Mapped[int] = mapped_column(Integer, default=0)  # submissions so far
    submitted_at: Mapped[datetime | None]
    review_started_at: Mapped[datetime | None]

    joint_decision: Mapped[str | None] = mapped_column(String(20))
    leading_group_decision: Mapped[str | None] = mapped_column(String(20))
    technical_opinion_no: Mapped[str | None] = mapped_column(String(80))
    approval_document_no: Mapped[str | None] = mapped_column(String(80))
    document_approved_fen: Mapped[int | None] = mapped_column(Fen)
    construction_months: Mapped[int | None] = mapped_column(Integer)  # the document's 建设周期
    estimate_report_no: Mapped[str | None] = mapped_column(String(80))
    reviewed_fen: Mapped[int | None] = mapped_column(Fen)
    approved_fen: Mapped[int | None] = mapped_column(Fen)
    original_approved_fen: Mapped[int | None] = mapped_column(Fen)
    contents: Mapped[list[Any] | None]  # line items [{name, amount}] in force after the last adjustment (R-20.1)
    approved_on: Mapped[date | None]
    rejection_reasons: Mapped[list[Any] | None]
    rejection_rule: Mapped[str | None] = mapped_column(String(20))
    returned_reasons: Mapped[list[Any] | None]

    project_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    code_status: Mapped[str] = mapped_column(String(20), default="none")  # none|pending|requested|assigned
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    code_next_attempt_at: Mapped[datetime | None]
    code_last_error: Mapped[str | None] = mapped_column(Text)

    version: Mapped[int] = mapped_column(Integer, default=1)  # the ETag (If-Match)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = optimistic(version)  # +1 per transaction that changes the row


class Material(Base):
    __tablename__ = "application_materials"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("applications.project_id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    uri: Mapped[str | None] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    document_id: Mapped[str | None] = mapped_column(String(36))  # the stored file (govkit.documents)


class CheckRecord(Base):
    """One automated check of one submission (R-7.1, R-10.*, R-12.1, R-14.1, X-10.3)."""

    __tablename__ = "application_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("applications.project_id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Review(Base):
    """Expert scores, joint review, leading-group decision, technical opinion, approval document."""

    __tablename__ = "application_reviews"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("applications.project_id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(200))
    actor_org: Mapped[str | None] = mapped_column(String(80))
    expert: Mapped[str | None] = mapped_column(String(200))
    score: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[str | None] = mapped_column(String(20))
    opinion: Mapped[str | None] = mapped_column(Text)
    document_no: Mapped[str | None] = mapped_column(String(80))
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reapproval(Base):
    """R-20.2: an adjustment that failed R-20.1 goes back through approval — bdb's technical review
    opinion and approval_bureau's approval document for the adjusted plan. Until approved the old
    approval stands."""

    __tablename__ = "reapprovals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("applications.project_id"), index=True)
    adjustment_id: Mapped[str] = mapped_column(ForeignKey("adjustments.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending | approved | rejected
    adjusted_total_fen: Mapped[int] = mapped_column(BigInteger)
    previous_approved_fen: Mapped[int] = mapped_column(BigInteger)
    technical_opinion_no: Mapped[str | None] = mapped_column(String(80))
    leading_group_decision: Mapped[str | None] = mapped_column(String(20))
    estimate_report_no: Mapped[str | None] = mapped_column(String(80))
    reviewed_fen: Mapped[int | None] = mapped_column(BigInteger)
    approval_document_no: Mapped[str | None] = mapped_column(String(80))
    document_approved_fen: Mapped[int | None] = mapped_column(BigInteger)
    construction_months: Mapped[int | None] = mapped_column(Integer)
    approved_fen: Mapped[int | None] = mapped_column(BigInteger)
    approved_on: Mapped[date | None]
    rejection_reasons: Mapped[list[Any] | None]
    version: Mapped[int] = mapped_column(Integer, default=1)  # the ETag (If-Match)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = optimistic(version)  # +1 per transaction that changes the row
