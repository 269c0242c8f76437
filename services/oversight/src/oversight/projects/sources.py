"""Where a rebuild reads events from: every service's `/internal/events` log (our own outbox is
read directly), in each log's order."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import service_token
from govkit.events import CloudEvent
from govkit.outbox import event_log
from govkit.settings import SERVICES

PAGE = 1000
EventSource = Callable[[AsyncSession], AsyncIterator[tuple[str, CloudEvent]]]


def http_source(settings, client_factory=None) -> EventSource:
    async def source(session: AsyncSession) -> AsyncIterator[tuple[str, CloudEvent]]:
        headers = {"Authorization": f"Bearer {service_token(settings.jwt_secret, 'oversight')}"}
        client = client_factory() if client_factory else httpx.AsyncClient(timeout=30)
        async with client:
            for service in SERVICES:
                after = 0
                while True:
                    if service == "oversight":
                        items = await event_log(session, "oversight", after, PAGE)
                    else:
                        resp = await client.get(
                            f"{settings.service_url(service)}/internal/events",
                            params={"after": after, "limit": PAGE},
                            headers=headers,
                        )
                        resp.raise_for_status()
                        items = [CloudEvent.model_validate(i) for i in resp.json()["items"]]
                    if not items:
                        break
                    for ev in items:
                        yield service, ev
                    after = items[-1].seq

    return source
