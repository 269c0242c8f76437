"""The gateway consumes every event (a wildcard handler): each becomes its webhook deliveries and
portal calls, queued in the inbox transaction (one service call)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import unit_of_work
from govkit.events import CloudEvent, EventData

from .portals.service import Portals
from .webhooks import service as webhooks


def wildcard(settings, portals: Portals):
    async def on_event(session: AsyncSession, data: EventData, event: CloudEvent) -> None:
        if await webhooks.queue_event(session, event, webhooks=settings.webhooks_enabled, portals=portals):
            unit_of_work(session).emitted = True  # the runner then calls on_commit → wakes the dispatcher

    return on_event
