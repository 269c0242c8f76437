"""Sanctions on the ladder (R-30.2): criticism → investment deferred → suspended → terminated."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class Sanction(Base):
    __tablename__ = "sanctions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    level: Mapped[str] = mapped_column(String(30))  # criticism | defer_investment | suspend | terminate | resume
    reason: Mapped[str] = mapped_column(Text)
    rectification_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    applied_by: Mapped[str] = mapped_column(String(200))
    applied_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
