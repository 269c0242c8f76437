"""The dispatcher: sends due deliveries (webhooks and portal calls). Their state lives in the
database, so a restart resumes. It claims a batch and commits (a lease: next_attempt_at pushed
beyond it), calls the receivers with no transaction open, and records each result in a short
transaction of its own. A non-2xx answer, a timeout or a connection error is retried after
`webhook_backoff_s`, doubling each time (capped), until `webhook_max_attempts`; then the delivery
is `dead`. Webhook targets are checked against SSRF again at delivery time (egress.py): resolved
now and connected to the checked address; redirects are not followed (a 3xx is a failed attempt)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import timedelta

import httpx
import orjson
import structlog

from govkit.db import utcnow

from .. import egress
from ..portals.service import Portals
from . import repository
from .signing import signed_headers

log = structlog.get_logger()


class Dispatcher:
    LEASE = timedelta(seconds=60)

    def __init__(self, sessionmaker, settings, portals: Portals):
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
            nxt = await repository.next_due_at(session)
        if nxt is None:
            return self.settings.webhook_poll_s
        return max(0.01, min(self.settings.webhook_poll_s, (nxt - utcnow()).total_seconds()))

    async def claim(self, limit: int = 20) -> list[dict]:
        """Lease due deliveries (push next_attempt_at beyond the lease) and return what to send."""
        async with self.sessionmaker() as session:
            now = utcnow()
            out = []
            for d in await repository.due(session, now, limit):
                d.next_attempt_at = now + self.LEASE
                item = {
                    "id": d.id,
                    "target": d.target,
                    "payload": d.payload,
                    "event_id": d.event_id,
                    "attempts": d.attempts,
                }
                if d.target == "webhook":
                    sub = await repository.get_subscription(session, d.subscription_id)
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
            d = await repository.get_delivery(session, item["id"])
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
