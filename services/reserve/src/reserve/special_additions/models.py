from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class SpecialAdditionDecision(Base):
    """One bureau's decision on a special addition (R-9.2); one per bureau and declaration."""

    __tablename__ = "special_addition_decisions"
    __table_args__ = (UniqueConstraint("project_id", "bureau", name="uq_special_addition_decisions_bureau"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("declarations.project_id", ondelete="CASCADE"), index=True
    )
    bureau: Mapped[str] = mapped_column(String(24))  # bdb | finance | approval_bureau
    decision: Mapped[str] = mapped_column(String(8))  # agree | refuse
    opinion: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_by_org: Mapped[str] = mapped_column(String(80))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
