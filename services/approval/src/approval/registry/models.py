"""The registry of existing systems (R-10.3, X-10.3) and the shared data catalogs (R-6.1, R-10.5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class RegistrySystem(Base):
    __tablename__ = "registry_systems"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    org: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(Text)
    functions: Mapped[list[Any]] = mapped_column(default=list)
    data_items: Mapped[list[Any]] = mapped_column(default=list)
    is_platform: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(30), default="import")  # import | final_acceptance
    project_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CatalogItem(Base):
    __tablename__ = "catalog_items"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    org: Mapped[str] = mapped_column(String(80), index=True)
    catalog: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(Text)
    share_type: Mapped[str] = mapped_column(String(20))  # unconditional | conditional | not_shared
    open_type: Mapped[str] = mapped_column(String(20))  # unconditional | conditional | not_open
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
