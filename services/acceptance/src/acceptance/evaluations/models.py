"""Self-evaluations (R-24.1) and third-party post-evaluations (R-24.2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class Evaluation(Base):
    __tablename__ = "evaluations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("acceptance_projects.project_id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # self | post
    rating: Mapped[str] = mapped_column(String(20))
    report: Mapped[str] = mapped_column(Text)
    evaluated_on: Mapped[date]
    late: Mapped[bool] = mapped_column(default=False)
    evaluator: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("project_id", "kind", name="uq_evaluations_project_kind"),)


class PostEvaluationCommission(Base):
    """R-24.2: bdb commissions a named third-party org to post-evaluate a project; only that org files."""

    __tablename__ = "post_evaluation_commissions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("acceptance_projects.project_id"), index=True)
    org: Mapped[str] = mapped_column(String(80), index=True)  # the third party's organisation code
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | filed
    commissioned_by: Mapped[str] = mapped_column(String(200))
    commissioned_on: Mapped[date]
    evaluation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvaluationOpinion(Base):
    """R-28.2: a rectification opinion (整改意见) on an evaluation result by bdb, finance, the approval
    bureau or the unit's competent department; the unit answers each."""

    __tablename__ = "evaluation_opinions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("acceptance_projects.project_id"), index=True)
    evaluation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("evaluations.id"))
    org: Mapped[str] = mapped_column(String(80), index=True)  # the unit that answers
    by_role: Mapped[str] = mapped_column(String(40))
    by_org: Mapped[str] = mapped_column(String(80))
    opinion: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | answered
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None]
    answered_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
