"""Outbound webhooks for departmental systems, fed by the event bus.

- `admin`/`bdb` subscribe a URL to event types (`*` = every type) with a secret.
- Every consumed CloudEvent (the gateway's wildcard consumer, one transaction with its inbox row)
  becomes one `deliveries` row per matching subscription — so pending deliveries survive a restart —
  and one per portal call the event means (portals/service.py).
- The dispatcher (dispatcher.py) POSTs the CloudEvent (`application/cloudevents+json`) signed as
  signing.py says, and carries the portal calls with the same retries.
- Targets are checked against SSRF (egress.py) here at creation and again at every delivery.
- `redeliver` queues a fresh delivery of the same event; the old one stays as it was.
Every change of a subscription is an entry of the gateway's audit chain (`govkit.outbox.append`).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.db import utcnow
from govkit.errors import Problem, not_found
from govkit.events import CloudEvent
from govkit.outbox import append
from govkit.pagination import decode_cursor, page

from .. import egress
from ..portals.service import Portals
from . import repository
from .models import Delivery, WebhookSubscription
from .schemas import DeliveryPage, DeliveryRead, SubscriptionCreate, SubscriptionPage, SubscriptionRead


async def _visible_subscription(session: AsyncSession, sub_id: str, principal: Principal) -> WebhookSubscription:
    sub = await repository.get_subscription(session, sub_id)
    if sub is None or sub.deleted_at is not None or not (principal.has("admin") or sub.org == principal.org):
        raise not_found("订阅")
    return sub


async def _visible_delivery(session: AsyncSession, delivery_id: int, principal: Principal) -> Delivery:
    d = await repository.get_delivery(session, delivery_id)
    if d is None or d.subscription_id is None:
        raise not_found("投递记录")
    await _visible_subscription(session, d.subscription_id, principal)
    return d


async def create_subscription(
    session: AsyncSession, body: SubscriptionCreate, principal: Principal, policy: egress.Policy
) -> SubscriptionRead:
    try:  # checked again at every delivery (the name may resolve elsewhere by then)
        await egress.resolve(body.url, policy)
    except egress.BlockedTarget as exc:
        raise Problem(
            422,
            "回调地址不可为本机、内网、链路本地、运营商级 NAT 或云元数据地址（可由管理员加入 "
            "webhook_allowed_hosts 白名单）",
            violations=[{"field": "url", "message": str(exc), "type": "blocked_address"}],
        ) from None
    sub = WebhookSubscription(
        id=str(uuid.uuid4()),
        url=body.url,
        event_types=body.event_types,
        secret=body.secret,
        description=body.description,
        org=principal.org,
        created_by=principal.sub,
        created_at=utcnow(),
        active=True,
    )
    await repository.add(session, sub)
    await append(
        session,
        "WebhookSubscriptionCreated",
        {"subscription_id": sub.id, "url": sub.url, "event_types": sub.event_types, "org": sub.org},
        actor=principal,
        subject=sub.id,
        published=True,
    )
    return SubscriptionRead.of(sub)


async def list_subscriptions(
    session: AsyncSession, principal: Principal, *, limit: int, cursor: str | None
) -> SubscriptionPage:
    after = decode_cursor(cursor)
    rows = await repository.subscriptions_page(
        session,
        org=None if principal.has("admin") else principal.org,
        after_id=str(after[0]) if after else None,
        limit=limit,
    )
    return SubscriptionPage(**page([SubscriptionRead.of(r) for r in rows], limit, lambda s: [s.id]))


async def get_subscription(session: AsyncSession, subscription_id: str, principal: Principal) -> SubscriptionRead:
    return SubscriptionRead.of(await _visible_subscription(session, subscription_id, principal))


async def delete_subscription(session: AsyncSession, subscription_id: str, principal: Principal) -> None:
    sub = await _visible_subscription(session, subscription_id, principal)
    sub.active = False
    sub.deleted_at = utcnow()
    await repository.drop_pending(session, sub.id)
    await append(
        session,
        "WebhookSubscriptionDeleted",
        {"subscription_id": sub.id},
        actor=principal,
        subject=sub.id,
        published=True,
    )


async def list_deliveries(
    session: AsyncSession,
    subscription_id: str,
    principal: Principal,
    *,
    limit: int,
    cursor: str | None,
    status: str | None,
) -> DeliveryPage:
    sub = await _visible_subscription(session, subscription_id, principal)
    after = decode_cursor(cursor)
    before_id = None
    if after:
        try:
            before_id = int(after[0])
        except (TypeError, ValueError):
            raise Problem(422, "cursor 无效", violations=[{"field": "cursor", "message": "invalid cursor"}]) from None
    rows = await repository.deliveries_page(session, sub.id, status=status, before_id=before_id, limit=limit)
    return DeliveryPage(**page([DeliveryRead.of(r) for r in rows], limit, lambda d: [d.id]))


async def get_delivery(session: AsyncSession, delivery_id: int, principal: Principal) -> DeliveryRead:
    return DeliveryRead.of(await _visible_delivery(session, delivery_id, principal))


async def redeliver(session: AsyncSession, delivery_id: int, principal: Principal) -> DeliveryRead:
    """A fresh delivery of the same event (the dispatcher is to be woken after the commit)."""
    old = await _visible_delivery(session, delivery_id, principal)
    sub = await repository.get_subscription(session, old.subscription_id)
    if not sub.active:
        raise Problem(409, "订阅已取消，不能重新投递")
    new = Delivery(
        target="webhook",
        subscription_id=old.subscription_id,
        event_id=old.event_id,
        event_type=old.event_type,
        payload=old.payload,
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
        history=[],
        created_at=utcnow(),
        redelivery_of=old.id,
    )
    await repository.add(session, new)
    await append(
        session,
        "WebhookRedeliveryRequested",
        {"delivery_id": old.id, "new_delivery_id": new.id, "event_id": old.event_id},
        actor=principal,
        subject=old.subscription_id,
        published=True,
    )
    return DeliveryRead.of(new)


def _delivery(target: str, event: CloudEvent, payload: dict, subscription_id: str | None = None) -> Delivery:
    now = utcnow()
    return Delivery(
        target=target,
        subscription_id=subscription_id,
        event_id=event.id,
        event_type=event.type,
        payload=payload,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        history=[],
        created_at=now,
    )


async def queue_event(session: AsyncSession, event: CloudEvent, *, webhooks: bool, portals: Portals) -> int:
    """In the consumer's transaction: one delivery per matching subscription (when webhooks are on)
    and one per portal call the event means. Returns how many were queued."""
    rows: list[Delivery] = []
    if webhooks:
        payload = event.model_dump(mode="json", exclude_none=True)
        rows += [
            _delivery("webhook", event, payload, sub.id)
            for sub in await repository.active_subscriptions(session)
            if "*" in sub.event_types or event.type in sub.event_types
        ]
    rows += [_delivery(target, event, message) for target, message in await portals.plan(session, event)]
    session.add_all(rows)
    return len(rows)
