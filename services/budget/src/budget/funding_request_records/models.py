"""Funding requests (资金申请, R-5.1): the unit asks, bdb confirms against the plan, finance pays."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow
from govkit.kernel_models import SeqType


class FundingRequest(Base):
    __tablename__ = "funding_requests"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org: Mapped[str | None] = mapped_column(String(80))
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    consumed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    purpose: Mapped[str] = mapped_column(String(500))
    contract_id: Mapped[str] = mapped_column(String(36), index=True)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    # submitted → confirmed → paid (consumed in full) | submitted → returned
    status: Mapped[str] = mapped_column(String(20), index=True, default="submitted")
    opinion: Mapped[str | None] = mapped_column(String(1000))
    requested_by: Mapped[str | None] = mapped_column(String(200))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = optimistic(version)  # the ETag: +1 per transaction that changes the row
