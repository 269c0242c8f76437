"""Per-principal rate limits and the security headers added to every response.

Rate limits: with `rate_limit_storage_url` (e.g. redis://redis:6379/0) every gateway replica counts
in one shared store through the `limits` library (a sliding window of `burst` requests per
`burst / rate` seconds), so three replicas allow the limit once, not three times; without it an
in-process token bucket per replica (`make run`). `/healthz` says which."""

from __future__ import annotations

import math
import time

import structlog

log = structlog.get_logger()


class RateLimiter:
    """Token bucket: `rate` tokens a second, at most `burst`. `take(key)` → 0 when admitted, else
    the seconds to wait (for Retry-After). rate <= 0 disables the limit."""

    kind = "in-process"

    def __init__(self, rate: float, burst: int, max_keys: int = 100_000):
        self.rate, self.burst, self.max_keys = rate, max(1, burst), max_keys
        self._buckets: dict[str, list[float]] = {}

    async def acquire(self, key: str) -> float:
        return self.take(key)

    async def health(self) -> dict:
        return {"store": self.kind, "status": "ok"}

    def take(self, key: str) -> float:
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._evict(now)
            self._buckets[key] = [self.burst - 1.0, now]
            return 0.0
        tokens = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0.0
        bucket[0] = tokens
        return (1.0 - tokens) / self.rate

    def _evict(self, now: float) -> None:
        full_after = self.burst / self.rate
        for k in [k for k, (_, t) in self._buckets.items() if now - t > full_after]:
            del self._buckets[k]
        if len(self._buckets) >= self.max_keys:
            self._buckets.clear()


class SharedRateLimiter:
    """The same contract as RateLimiter (`acquire(key)` → 0 or seconds to wait) over a shared store
    (`limits`, Redis). A store that cannot be reached admits the request (the limit protects
    capacity; it is not an authorisation) and is reported down in /healthz."""

    kind = "redis"

    def __init__(self, url: str, rate: float, burst: int):
        from limits import RateLimitItemPerSecond
        from limits.aio.strategies import SlidingWindowCounterRateLimiter
        from limits.storage import storage_from_string

        self.url = url if url.startswith("async+") else f"async+{url}"
        self.kind = self.url.split("://", 1)[0].removeprefix("async+")
        self.rate, self.burst = rate, max(1, burst)
        self.item = RateLimitItemPerSecond(self.burst, max(1, round(self.burst / rate))) if rate > 0 else None
        self.storage = storage_from_string(self.url)
        self.limiter = SlidingWindowCounterRateLimiter(self.storage)
        self.errors = 0

    async def acquire(self, key: str) -> float:
        if self.item is None:
            return 0.0
        try:
            if await self.limiter.hit(self.item, "govpm", key):
                return 0.0
            stats = await self.limiter.get_window_stats(self.item, "govpm", key)
            return max(0.001, stats.reset_time - time.time())
        except Exception as exc:  # noqa: BLE001 - store unreachable: admit, report, log
            self.errors += 1
            log.warning("rate_limit_store_failed", error=str(exc) or type(exc).__name__)
            return 0.0

    async def health(self) -> dict:
        try:
            ok = bool(await self.storage.check())
        except Exception:  # noqa: BLE001
            ok = False
        return {"store": self.kind, "status": "ok" if ok else "down"}


def make_limiter(settings):
    url = getattr(settings, "rate_limit_storage_url", None)
    if url:
        return SharedRateLimiter(url, settings.rate_limit_per_s, settings.rate_limit_burst)
    return RateLimiter(settings.rate_limit_per_s, settings.rate_limit_burst)


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


def security_headers(settings) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
    ]
    if settings.hsts_max_age_s > 0:
        headers.append((b"strict-transport-security", f"max-age={settings.hsts_max_age_s}; includeSubDomains".encode()))
    return headers
