"""Every query of webhook subscriptions and deliveries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres

from .models import Delivery, WebhookSubscription


async def get_subscription(session: AsyncSession, subscription_id: str) -> WebhookSubscription | None:
    return await session.get(WebhookSubscription, subscription_id)


async def add(session: AsyncSession, row: WebhookSubscription | Delivery) -> None:
    session.add(row)
    await session.flush()


async def subscriptions_page(
    session: AsyncSession, *, org: str | None, after_id: str | None, limit: int
) -> list[WebhookSubscription]:
    """Up to `limit + 1` live subscriptions (of `org` unless None) in id order after `after_id`."""
    stmt = select(WebhookSubscription).where(WebhookSubscription.deleted_at.is_(None))
    if org is not None:
        stmt = stmt.where(WebhookSubscription.org == org)
    if after_id:
        stmt = stmt.where(WebhookSubscription.id > after_id)
    return list((await session.scalars(stmt.order_by(WebhookSubscription.id).limit(limit + 1))).all())


async def active_subscriptions(session: AsyncSession) -> list[WebhookSubscription]:
    return list((await session.scalars(select(WebhookSubscription).where(WebhookSubscription.active.is_(True)))).all())


async def drop_pending(session: AsyncSession, subscription_id: str) -> None:
    """A deleted subscription's pending deliveries are never sent."""
    await session.execute(
        update(Delivery)
        .where(Delivery.subscription_id == subscription_id, Delivery.status == "pending")
        .values(status="dead", last_error="subscription deleted")
    )


async def get_delivery(session: AsyncSession, delivery_id: int) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def deliveries_page(
    session: AsyncSession, subscription_id: str, *, status: str | None, before_id: int | None, limit: int
) -> list[Delivery]:
    """Up to `limit + 1` deliveries of a subscription, newest first, before `before_id`."""
    stmt = select(Delivery).where(Delivery.subscription_id == subscription_id)
    if status:
        stmt = stmt.where(Delivery.status == status)
    if before_id is not None:
        stmt = stmt.where(Delivery.id < before_id)
    return list((await session.scalars(stmt.order_by(Delivery.id.desc()).limit(limit + 1))).all())


async def due(session: AsyncSession, now: datetime, limit: int) -> list[Delivery]:
    """Pending deliveries whose time has come, oldest first; locked (skipping locked ones) on PostgreSQL."""
    stmt = (
        select(Delivery)
        .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
        .order_by(Delivery.id)
        .limit(limit)
    )
    if is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True)
    return list((await session.scalars(stmt)).all())


async def next_due_at(session: AsyncSession) -> datetime | None:
    return await session.scalar(
        select(Delivery.next_attempt_at).where(Delivery.status == "pending").order_by(Delivery.next_attempt_at).limit(1)
    )
