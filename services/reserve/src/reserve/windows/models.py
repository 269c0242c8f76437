from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow


class Window(Base):
    """A declaration window: the annual one (R-8.1) or a half-yearly supplement (R-9.1)."""

    __tablename__ = "windows"
    __table_args__ = (Index("ix_windows_year_kind", "library_year", "kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # annual | supplement
    library_year: Mapped[int]
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    jurisdiction: Mapped[str] = mapped_column(String(16), default="city")
    title: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = optimistic(version)  # the ETag: +1 per transaction that changes the row

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on
