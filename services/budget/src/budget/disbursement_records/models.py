"""The ledger: every payment (国库集中支付, R-27.1) and every reconciliation with a quarterly report."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow
from govkit.kernel_models import SeqType


class Disbursement(Base):
    __tablename__ = "disbursements"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(500))
    paid_on: Mapped[date]
    year: Mapped[int] = mapped_column(Integer)
    payee: Mapped[str | None] = mapped_column(String(300))
    voucher_no: Mapped[str | None] = mapped_column(String(120))
    payment_channel: Mapped[str] = mapped_column(String(40), default="treasury_centralised")
    paid_total_after_fen: Mapped[int] = mapped_column(BigInteger)
    request_id: Mapped[str | None] = mapped_column(String(36), index=True)
    contract_id: Mapped[str | None] = mapped_column(String(36), index=True)
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FundsReconciliation(Base):
    """A quarterly report's funds figures against the ledger (R-18.1)."""

    __tablename__ = "funds_reconciliations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    reported_year_fen: Mapped[int] = mapped_column(BigInteger)
    reported_total_fen: Mapped[int] = mapped_column(BigInteger)
    ledger_year_fen: Mapped[int] = mapped_column(BigInteger)
    ledger_total_fen: Mapped[int] = mapped_column(BigInteger)
    matched: Mapped[bool] = mapped_column(Boolean)
    corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    reconciled_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("project_id", "year", "quarter"),)
