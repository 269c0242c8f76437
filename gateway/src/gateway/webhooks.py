"""Outbound webhooks for departmental systems, fed by the event bus.

- `admin`/`bdb` subscribe a URL to event types (`*` = every type) with a secret.
- Every consumed CloudEvent (the gateway's wildcard consumer, one transaction with its inbox row)
  becomes one `deliveries` row per matching subscription — so pending deliveries survive a restart.
- The `Dispatcher` POSTs the CloudEvent (`application/cloudevents+json`) signed the Standard
  Webhooks way (https://www.standardwebhooks.com, verifiable with its off-the-shelf libraries):
  `webhook-id: <event id>`, `webhook-timestamp: <unix seconds>`,
  `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>` where the key is
  the subscription secret's UTF-8 bytes (for those libraries: `"whsec_" + base64(secret)`).
  The earlier headers stay for existing receivers: `X-Event-Id`, `X-Timestamp` and
  `X-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Timestamp>.<raw body>")>`.
- Targets are checked against SSRF (egress.py): outside dev/test no private, loopback,
  link-local, CGNAT or metadata address unless allow-listed; resolved at delivery time and
  connected to the checked address; redirects are not followed (a 3xx is a failed attempt).
  A non-2xx answer, a timeout or a connection error is retried after `webhook_backoff_s`,
  doubling each time (capped), until `webhook_max_attempts`; then the delivery is `dead`.
  `POST /deliveries/{id}/redeliver` queues a fresh delivery of the same event.
The same dispatcher carries the portal calls (portals.py) with the same retries.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import time
import uuid
from datetime import datetime, timedelta
from typing import Annotated, Literal
from urllib.parse import urlsplit

import httpx
import orjson
import structlog
from fastapi import APIRouter, BackgroundTasks, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import allow
from govkit.db import SessionDep, is_postgres, utcnow
from govkit.errors import Problem, not_found
from govkit.events import EVENT_TYPES, CloudEvent
from govkit.pagination import CursorQuery, LimitQuery, decode_cursor, page

from . import audit, egress
from .models import Delivery, WebhookSubscription

log = structlog.get_logger()
router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
Manager = allow("admin", "bdb")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def standard_signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """Standard Webhooks `webhook-signature` (v1, HMAC-SHA256, base64)."""
    mac = hmac.new(secret.encode(), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signed_headers(secret: str, event_id: str, body: bytes, now: float | None = None) -> dict[str, str]:
    ts = str(int(time.time() if now is None else now))
    return {
        "content-type": "application/cloudevents+json",
        "webhook-id": event_id,
        "webhook-timestamp": ts,
        "webhook-signature": standard_signature(secret, event_id, ts, body),
        "x-event-id": event_id,
        "x-timestamp": ts,
        "x-signature": sign(secret, ts, body),
        "user-agent": "GovPM-Webhooks/1.0",
    }


# -- API -----------------------------------------------------------------------------------------
class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2000, examples=["https://oa.example.gov.cn/govpm/events"])
    event_types: list[str] = Field(min_length=1, max_length=100, examples=[["ProjectApproved"]])
    secret: str = Field(min_length=16, max_length=200, description="HMAC 密钥（≥16 个字符），不回显")
    description: str = Field("", max_length=500)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("须为 http(s) 地址")
        return v

    @field_validator("event_types")
    @classmethod
    def _types(cls, v: list[str]) -> list[str]:
        unknown = [t for t in v if t != "*" and t not in EVENT_TYPES]
        if unknown:
            raise ValueError(f"未知事件类型：{', '.join(unknown)}")
        return sorted(set(v))


class SubscriptionRead(BaseModel):
    id: str
    url: str
    event_types: list[str]
    description: str
    org: str
    created_by: str
    created_at: datetime
    active: bool


class SubscriptionPage(BaseModel):
    items: list[SubscriptionRead]
    next_cursor: str | None


class Attempt(BaseModel):
    at: datetime
    status_code: int | None = None
    error: str | None = None
    duration_ms: int | None = None


class DeliveryRead(BaseModel):
    id: int
    subscription_id: str | None
    event_id: str
    event_type: str
    status: Literal["pending", "delivered", "dead"]
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    redelivery_of: int | None
    history: list[Attempt]


class DeliveryPage(BaseModel):
    items: list[DeliveryRead]
    next_cursor: str | None


def _sub_read(s: WebhookSubscription) -> SubscriptionRead:
    return SubscriptionRead(
        id=s.id,
        url=s.url,
        event_types=s.event_types,
        description=s.description,
        org=s.org,
        created_by=s.created_by,
        created_at=s.created_at,
        active=s.active,
    )


def _delivery_read(d: Delivery) -> DeliveryRead:
    return DeliveryRead(
        id=d.id,
        subscription_id=d.subscription_id,
        event_id=d.event_id,
        event_type=d.event_type,
        status=d.status,
        attempts=d.attempts,
        next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
        last_status_code=d.last_status_code,
        last_error=d.last_error,
        created_at=d.created_at,
        delivered_at=d.delivered_at,
        redelivery_of=d.redelivery_of,
        history=d.history or [],
    )


async def _visible_subscription(session: AsyncSession, sub_id: str, principal) -> WebhookSubscription:
    sub = await session.get(WebhookSubscription, sub_id)
    if sub is None or sub.deleted_at is not None or not (principal.has("admin") or sub.org == principal.org):
        raise not_found("订阅")
    return sub


SubId = Annotated[str, Path(max_length=36)]


@router.post("/subscriptions", status_code=201, response_model=SubscriptionRead, summary="订阅事件（admin | bdb）")
async def create_subscription(body: SubscriptionCreate, principal: Manager, session: SessionDep, request: Request):
    settings = request.app.state.settings
    try:  # checked again at every delivery (the name may resolve elsewhere by then)
        await egress.resolve(body.url, egress.Policy.from_settings(settings))
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
    session.add(sub)
    await session.flush()
    await audit.record(
        session,
        "WebhookSubscriptionCreated",
        {"subscription_id": sub.id, "url": sub.url, "event_types": sub.event_types, "org": sub.org},
        principal,
        subject=sub.id,
    )
    return _sub_read(sub)


@router.get("/subscriptions", response_model=SubscriptionPage, summary="订阅列表（admin 全部；bdb 本单位）")
async def list_subscriptions(
    principal: Manager, session: SessionDep, limit: LimitQuery = 50, cursor: CursorQuery = None
):
    stmt = select(WebhookSubscription).where(WebhookSubscription.deleted_at.is_(None))
    if not principal.has("admin"):
        stmt = stmt.where(WebhookSubscription.org == principal.org)
    after = decode_cursor(cursor)
    if after:
        stmt = stmt.where(WebhookSubscription.id > str(after[0]))
    rows = (await session.scalars(stmt.order_by(WebhookSubscription.id).limit(limit + 1))).all()
    return page([_sub_read(r) for r in rows], limit, lambda s: [s.id])


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionRead, summary="订阅详情")
async def get_subscription(subscription_id: SubId, principal: Manager, session: SessionDep):
    return _sub_read(await _visible_subscription(session, subscription_id, principal))


@router.delete("/subscriptions/{subscription_id}", status_code=204, summary="取消订阅（待投递的将不再投递）")
async def delete_subscription(subscription_id: SubId, principal: Manager, session: SessionDep):
    sub = await _visible_subscription(session, subscription_id, principal)
    sub.active = False
    sub.deleted_at = utcnow()
    await session.execute(
        update(Delivery)
        .where(Delivery.subscription_id == sub.id, Delivery.status == "pending")
        .values(status="dead", last_error="subscription deleted")
    )
    await audit.record(session, "WebhookSubscriptionDeleted", {"subscription_id": sub.id}, principal, subject=sub.id)
    return Response(status_code=204)


@router.get("/subscriptions/{subscription_id}/deliveries", response_model=DeliveryPage, summary="投递历史")
async def list_deliveries(
    subscription_id: SubId,
    principal: Manager,
    session: SessionDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    status: Literal["pending", "delivered", "dead"] | None = None,
):
    sub = await _visible_subscription(session, subscription_id, principal)
    stmt = select(Delivery).where(Delivery.subscription_id == sub.id)
    if status:
        stmt = stmt.where(Delivery.status == status)
    after = decode_cursor(cursor)
    if after:
        try:
            stmt = stmt.where(Delivery.id < int(after[0]))
        except (TypeError, ValueError):
            raise Problem(422, "cursor 无效", violations=[{"field": "cursor", "message": "invalid cursor"}]) from None
    rows = (await session.scalars(stmt.order_by(Delivery.id.desc()).limit(limit + 1))).all()
    return page([_delivery_read(r) for r in rows], limit, lambda d: [d.id])


async def _visible_delivery(session, delivery_id: int, principal) -> Delivery:
    d = await session.get(Delivery, delivery_id)
    if d is None or d.subscription_id is None:
        raise not_found("投递记录")
    await _visible_subscription(session, d.subscription_id, principal)
    return d


DeliveryId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/deliveries/{delivery_id}", response_model=DeliveryRead, summary="投递详情")
async def get_delivery(delivery_id: DeliveryId, principal: Manager, session: SessionDep):
    return _delivery_read(await _visible_delivery(session, delivery_id, principal))


@router.post(
    "/deliveries/{delivery_id}/redeliver",
    status_code=202,
    response_model=DeliveryRead,
    summary="重新投递（新建一条投递，原记录保留）",
)
async def redeliver(
    delivery_id: DeliveryId, principal: Manager, session: SessionDep, request: Request, background: BackgroundTasks
):
    old = await _visible_delivery(session, delivery_id, principal)
    sub = await session.get(WebhookSubscription, old.subscription_id)
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
    session.add(new)
    await session.flush()
    await audit.record(
        session,
        "WebhookRedeliveryRequested",
        {"delivery_id": old.id, "new_delivery_id": new.id, "event_id": old.event_id},
        principal,
        subject=old.subscription_id,
    )
    dispatcher = getattr(request.app.state, "dispatcher", None)
    if dispatcher is not None:
        background.add_task(dispatcher.wake)  # after the commit
    return _delivery_read(new)


# -- fan-out (inside the consumer's transaction) --------------------------------------------------
async def fan_out(session: AsyncSession, event: CloudEvent) -> int:
    subs = (await session.scalars(select(WebhookSubscription).where(WebhookSubscription.active.is_(True)))).all()
    n = 0
    now = utcnow()
    for sub in subs:
        if "*" in sub.event_types or event.type in sub.event_types:
            session.add(
                Delivery(
                    target="webhook",
                    subscription_id=sub.id,
                    event_id=event.id,
                    event_type=event.type,
                    payload=event.model_dump(mode="json", exclude_none=True),
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    history=[],
                    created_at=now,
                )
            )
            n += 1
    return n


# -- the dispatcher -------------------------------------------------------------------------------
class Dispatcher:
    """Sends due deliveries (webhooks and portal calls); state lives in the DB, so a restart resumes."""

    LEASE = timedelta(seconds=60)

    def __init__(self, sessionmaker, settings, portals):
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.portals = portals
        self._wake = asyncio.Event()
        self.client: httpx.AsyncClient | None = None
        self.policy = egress.Policy.from_settings(settings)
        self.resolver = None  # the system's; tests substitute one to model DNS rebinding

    def wake(self) -> None:
        self._wake.set()

    def backoff(self, attempts: int) -> float:
        return min(self.settings.webhook_backoff_max_s, self.settings.webhook_backoff_s * 2 ** max(0, attempts - 1))

    async def run(self) -> None:
        self.client = httpx.AsyncClient(timeout=self.settings.webhook_timeout_s, follow_redirects=False)
        try:
            while True:
                try:
                    batch = await self.claim()
                except asyncio.CancelledError:
                    raise
                except Exception:  # noqa: BLE001 - DB hiccup: try again
                    log.exception("dispatch_claim_failed")
                    batch = []
                if batch:
                    await asyncio.gather(*(self.deliver(d) for d in batch))
                    continue
                try:
                    timeout = await self._sleep_for()
                except asyncio.CancelledError:
                    raise
                except Exception:  # noqa: BLE001
                    timeout = self.settings.webhook_poll_s
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=timeout)
                self._wake.clear()
        finally:
            await self.client.aclose()

    async def _sleep_for(self) -> float:
        async with self.sessionmaker() as session:
            nxt = await session.scalar(
                select(Delivery.next_attempt_at)
                .where(Delivery.status == "pending")
                .order_by(Delivery.next_attempt_at)
                .limit(1)
            )
        if nxt is None:
            return self.settings.webhook_poll_s
        return max(0.01, min(self.settings.webhook_poll_s, (nxt - utcnow()).total_seconds()))

    async def claim(self, limit: int = 20) -> list[dict]:
        """Lease due deliveries (push next_attempt_at beyond the lease) and return what to send."""
        async with self.sessionmaker() as session:
            now = utcnow()
            stmt = (
                select(Delivery)
                .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
                .order_by(Delivery.id)
                .limit(limit)
            )
            if is_postgres(session):
                stmt = stmt.with_for_update(skip_locked=True)
            rows = (await session.scalars(stmt)).all()
            out = []
            for d in rows:
                d.next_attempt_at = now + self.LEASE
                item = {
                    "id": d.id,
                    "target": d.target,
                    "payload": d.payload,
                    "event_id": d.event_id,
                    "attempts": d.attempts,
                }
                if d.target == "webhook":
                    sub = await session.get(WebhookSubscription, d.subscription_id)
                    if sub is None or not sub.active:
                        d.status, d.last_error = "dead", "subscription deleted"
                        continue
                    item["url"], item["secret"] = sub.url, sub.secret
                out.append(item)
            await session.commit()
            return out

    async def deliver(self, item: dict) -> None:
        started = time.perf_counter()
        status_code, error = None, None
        try:
            if item["target"] == "webhook":
                body = orjson.dumps(item["payload"])
                resp = await egress.post(
                    self.client,
                    item["url"],
                    self.policy,
                    content=body,
                    headers=signed_headers(item["secret"], item["event_id"], body),
                    resolver=self.resolver,
                )
            else:
                resp = await self.portals.send(self.client, item["target"], item["payload"])
            status_code = resp.status_code
            ok = 200 <= resp.status_code < 300
            if not ok:
                error = f"HTTP {resp.status_code}"
        except Exception as exc:  # noqa: BLE001 - any failure is retried
            ok, error = False, (str(exc) or type(exc).__name__)[:500]
        await self._record(item, ok, status_code, error, int((time.perf_counter() - started) * 1000))

    async def _record(self, item, ok, status_code, error, duration_ms) -> None:
        async with self.sessionmaker() as session:
            d = await session.get(Delivery, item["id"])
            if d is None or d.status != "pending":
                await session.rollback()
                return
            now = utcnow()
            d.attempts += 1
            d.last_status_code = status_code
            d.last_error = error
            d.history = [
                *(d.history or []),
                {"at": now.isoformat(), "status_code": status_code, "error": error, "duration_ms": duration_ms},
            ]
            if ok:
                d.status, d.delivered_at = "delivered", now
            elif d.attempts >= self.settings.webhook_max_attempts:
                d.status = "dead"
                log.warning(
                    "delivery_dead_lettered", delivery_id=d.id, target=d.target, event_id=d.event_id, error=error
                )
            else:
                d.next_attempt_at = now + timedelta(seconds=self.backoff(d.attempts))
            await session.commit()
        if not ok:
            log.info("delivery_failed", delivery_id=item["id"], target=item["target"], error=error)
