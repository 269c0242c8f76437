"""Tables every service has: the outbox (also its event log and hash-chained audit trail),
the inbox of processed events, the events parked until their predecessor arrives, catch-up cursors
and idempotency records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base, utcnow

SeqType = BigInteger().with_variant(Integer(), "sqlite")


class OutboxEvent(Base):
    __tablename__ = "outbox_events"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str | None] = mapped_column(String(80), index=True)
    time: Mapped[datetime]
    data: Mapped[dict[str, Any]]
    actor: Mapped[str | None] = mapped_column(String(200))
    actor_org: Mapped[str | None] = mapped_column(String(80))
    rule: Mapped[str | None] = mapped_column(String(20))
    request_id: Mapped[str | None] = mapped_column(String(80))
    traceparent: Mapped[str | None] = mapped_column(String(80))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_outbox_events_unpublished", "published_at", "seq"),)


class InboxEvent(Base):
    __tablename__ = "inbox_events"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="done")  # done | failed
    error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ParkedEvent(Base):
    """A consumed event held until its predecessor for the same key (project) is applied
    (`govkit.errors.PredecessorMissing`); the whole envelope is kept to apply it later, in order."""

    __tablename__ = "parked_events"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    source: Mapped[str] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int | None] = mapped_column(SeqType)
    time: Mapped[datetime]
    envelope: Mapped[dict[str, Any]]
    reason: Mapped[str] = mapped_column(Text)
    parked_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class ConsumerCursor(Base):
    __tablename__ = "consumer_cursors"

    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_seq: Mapped[int] = mapped_column(SeqType, default=0)


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditAnchor(Base):
    """A signed statement "the audit chain's head was `head_hash` at `head_seq`" (Ed25519; the key
    lives outside the database). Recomputing the chain after an edit cannot produce a matching
    signature, so `audit-verify` detects what a database superuser rewrote (govkit.anchoring)."""

    __tablename__ = "audit_anchors"

    id: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    head_seq: Mapped[int] = mapped_column(SeqType)
    head_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime]
    key_id: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(200))


from .policy_store import PolicyVersion  # noqa: E402,F401  (R-31.1: every service keeps the policy versions)
