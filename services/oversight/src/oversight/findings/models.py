"""Findings (R-29.1 refusal / concealment / false reporting; funds mismatches flagged by budget)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class Finding(Base):
    __tablename__ = "findings"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    rule: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    finding: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(80))  # recording bureau, or budget:FundsMismatchFlagged
    source_event_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
