"""The supervised project: what oversight knows of an approved project (from ProjectApproved and
FinalAccepted) and its standing under the sanctions ladder (R-30.2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class SupervisedProject(Base):
    __tablename__ = "supervised_projects"

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    org: Mapped[str | None] = mapped_column(String(80), index=True)
    participant_orgs: Mapped[list[Any]] = mapped_column(default=list)
    title: Mapped[str] = mapped_column(String(300), default="")
    jurisdiction: Mapped[str] = mapped_column(String(20), default="city")
    approved_on: Mapped[date | None]
    declared_on: Mapped[date | None]
    approved_investment: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    # active | suspended | terminated
    standing: Mapped[str] = mapped_column(String(20), default="active")
    final_accepted_on: Mapped[date | None]
    terminated_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def orgs(self) -> list[str]:
        return [o for o in [self.org, *(self.participant_orgs or [])] if o]

    @property
    def approved(self) -> bool:
        return self.approved_on is not None
