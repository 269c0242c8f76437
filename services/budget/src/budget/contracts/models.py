"""Government procurement contracts (R-15.1, R-26.1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow


class Contract(Base):
    __tablename__ = "contracts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    contract_no: Mapped[str] = mapped_column(String(120))
    supplier: Mapped[str] = mapped_column(String(300))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    procurement_method: Mapped[str] = mapped_column(String(40))
    signed_on: Mapped[date]
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    recorded_org: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    document_id: Mapped[str | None] = mapped_column(String(36))  # the stored contract (govkit.documents)

    __table_args__ = (UniqueConstraint("project_id", "contract_no"),)
