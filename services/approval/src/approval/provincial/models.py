"""Signatures of accepted provincial callbacks: the same signed request twice is a replay."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class CallbackSignature(Base):
    __tablename__ = "provincial_callback_signatures"

    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    project_id: Mapped[str | None] = mapped_column(String(36))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
