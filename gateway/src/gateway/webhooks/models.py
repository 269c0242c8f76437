"""Webhook subscriptions and the outbound deliveries (webhook deliveries and portal calls alike)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, utcnow
from govkit.kernel_models import SeqType


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscriptions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[Any]]
    secret: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500), default="")
    org: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deleted_at: Mapped[datetime | None]


class Delivery(Base):
    """One outbound message (a webhook delivery or a portal call) and its attempt history.
    Pending rows survive a restart; the dispatcher leases them by pushing next_attempt_at."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    target: Mapped[str] = mapped_column(String(20))  # webhook | yanzhengtong | susufuban
    subscription_id: Mapped[str | None] = mapped_column(ForeignKey("webhook_subscriptions.id"))
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]]  # webhook: the CloudEvent; portal: {method, path, body}
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | delivered | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    history: Mapped[list[Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    redelivery_of: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        Index("ix_deliveries_subscription", "subscription_id", "id"),
    )
