from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow


class OrgJurisdiction(Base):
    """The org registry's jurisdiction of a unit (R-31.1): 市本级 ("city") or a county code."""

    __tablename__ = "org_jurisdictions"

    org: Mapped[str] = mapped_column(String(80), primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = optimistic(version)  # the ETag: +1 per transaction that changes the row
