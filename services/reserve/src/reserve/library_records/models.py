from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow


class Library(Base):
    """The reserve library of one year: compiled (R-8.1), then filed with the leading group (R-8.2)."""

    __tablename__ = "libraries"

    library_year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    jurisdiction: Mapped[str] = mapped_column(String(16), default="city")
    status: Mapped[str] = mapped_column(String(16))  # compiled | filed
    compiled_on: Mapped[date] = mapped_column(Date)
    compiled_by: Mapped[str] = mapped_column(String(200))
    compile_count: Mapped[int] = mapped_column(default=1)
    filed_on: Mapped[date | None] = mapped_column(Date)
    filed_by: Mapped[str | None] = mapped_column(String(200))
    filed_project_ids: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = optimistic(version)  # the ETag: +1 per transaction that changes the row


class LibrarySupplement(Base):
    """One supplement of a filed library (R-9.1): the declarations admitted by it."""

    __tablename__ = "library_supplements"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    library_year: Mapped[int] = mapped_column(index=True)
    supplemented_on: Mapped[date] = mapped_column(Date)
    supplemented_by: Mapped[str] = mapped_column(String(200))
    project_ids: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
