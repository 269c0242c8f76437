"""The health of the whole system (every service's /readyz, seen from the gateway) and the
readiness of this gateway replica."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import text

from govkit.settings import SERVICES


async def system_health(http: httpx.AsyncClient, settings, limiter) -> dict:
    async def ready(name):
        try:
            r = await http.get(f"{settings.service_url(name)}/readyz")
            return name, r.json()
        except (httpx.HTTPError, ValueError):
            return name, None

    results = dict(await asyncio.gather(*(ready(n) for n in SERVICES)))
    rate_limit = await limiter.health()
    services = {n: ("ok" if r and r.get("status") == "ok" else "down") for n, r in results.items()}
    broker_states = [r.get("broker") for r in results.values() if r]
    broker = "ok" if broker_states and all(b in ("ok", "disabled") for b in broker_states) else "down"
    status = "ok" if all(v == "ok" for v in services.values()) and broker == "ok" else "degraded"
    consumers = {
        n: {
            "backlog": r.get("consumer_backlog", 0),
            "oldest_unapplied_s": r.get("oldest_unapplied_s", 0),
            "parked": r.get("parked", 0),
            "oldest_parked_s": r.get("oldest_parked_s", 0),
        }
        for n, r in results.items()
        if r
    }
    return {"status": status, "services": services, "broker": broker, "consumers": consumers, "rate_limit": rate_limit}


async def replica_readiness(sessionmaker, proxy) -> dict:
    """Can this replica serve: its database answers and it has somewhere to route."""
    try:
        async with sessionmaker() as s:
            await s.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure: not ready
        database = "down"
    routes = "ok" if proxy.session is not None and not proxy.session.closed and proxy.bases else "down"
    ready = database == "ok" and routes == "ok"
    return {"status": "ok" if ready else "unavailable", "database": database, "routes": routes}
