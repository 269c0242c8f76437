"""Construction filings (R-15.1, R-16.*, R-17.1): one per project, corrected with If-Match."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow


class ConstructionFiling(Base):
    __tablename__ = "construction_filings"

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    implementing_body: Mapped[str] = mapped_column(String(200))
    responsible_person: Mapped[str] = mapped_column(String(100))
    supervision_firm: Mapped[str] = mapped_column(String(200))
    warranty_years: Mapped[int] = mapped_column(Integer)
    ip_owner: Mapped[str] = mapped_column(String(200))
    om_plan: Mapped[str] = mapped_column(Text)
    training_plan: Mapped[str] = mapped_column(Text)
    training_materials: Mapped[str | None] = mapped_column(Text)
    procurement_classified: Mapped[bool] = mapped_column(default=False)
    planned_completion_on: Mapped[date | None]
    tenders: Mapped[list[Any]] = mapped_column(default=list)
    contracts: Mapped[list[Any]] = mapped_column(default=list)
    filed_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = optimistic(version)  # the ETag: +1 per transaction that changes the row
