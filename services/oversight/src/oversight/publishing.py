"""Oversight's own events: written to the outbox (the audit log) and folded into the read model in
the same transaction, so the whole-project view shows an action at once. When the event comes
back through the consumer, the projection sees its id and leaves it alone."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.events import EventData
from govkit.outbox import emit, to_cloudevent

from .projects.projection import apply_event

SYSTEM_ACTOR = "system:oversight"


async def publish(
    session: AsyncSession, payload: EventData, *, actor: Principal | str | None, rule: str | None = None
) -> None:
    row = await emit(session, payload, actor=actor, rule=rule)
    await apply_event(session, payload, to_cloudevent(row, "oversight"))
