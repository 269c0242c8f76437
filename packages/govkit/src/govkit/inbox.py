"""The inbox: the once-only record of consumed events. Each event id is claimed in the same
transaction as its effect (`claim`), so a redelivery — from Kafka or from catch-up — changes nothing;
an event that cannot be applied is recorded as failed (`dead_letter`) and never retried.

The loop that feeds it (Kafka, catch-up, broker-reset detection) is `govkit.consumer`."""

from __future__ import annotations

import structlog
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .db import is_postgres, utcnow
from .events import CloudEvent
from .kernel_models import InboxEvent

log = structlog.get_logger()


def insert_for(session: AsyncSession):
    """The dialect's INSERT (with ON CONFLICT) for the session's database."""
    return pg_insert if is_postgres(session) else sqlite_insert


def claim(session: AsyncSession, event: CloudEvent):
    """INSERT … ON CONFLICT DO NOTHING RETURNING: no row back means the event was processed (or
    dead-lettered) before. A concurrent claim of the same id waits for ours to end."""
    insert = pg_insert if is_postgres(session) else sqlite_insert
    return (
        insert(InboxEvent)
        .values(event_id=event.id, source=event.source, type=event.type, status="done", processed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(InboxEvent.event_id)
    )


def claim_many(session: AsyncSession, events: list[CloudEvent]):
    """`claim` for several events in one INSERT (distinct ids): returns the ids claimed now."""
    insert = pg_insert if is_postgres(session) else sqlite_insert
    now = utcnow()
    return (
        insert(InboxEvent)
        .values(
            [
                {"event_id": e.id, "source": e.source, "type": e.type, "status": "done", "processed_at": now}
                for e in events
            ]
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(InboxEvent.event_id)
    )


async def recorded(sessionmaker: async_sessionmaker, event_ids: list[str]) -> set[str]:
    """Which of these event ids the inbox holds (applied or dead-lettered)."""
    if not event_ids:
        return set()
    async with sessionmaker() as session:
        return set((await session.scalars(select(InboxEvent.event_id).where(InboxEvent.event_id.in_(event_ids)))).all())


async def is_recorded(sessionmaker: async_sessionmaker, event_id: str) -> bool:
    async with sessionmaker() as session:
        return await session.get(InboxEvent, event_id) is not None


async def dead_letter(sessionmaker: async_sessionmaker, event: CloudEvent, error: str) -> None:
    """Record the event as failed (in a transaction of its own): it is never applied nor retried."""
    async with sessionmaker() as session:
        if await session.get(InboxEvent, event.id) is None:
            session.add(
                InboxEvent(event_id=event.id, source=event.source, type=event.type, status="failed", error=error[:2000])
            )
            await session.commit()
    log.error("event_dead_lettered", event_type=event.type, event_id=event.id, error=error)
