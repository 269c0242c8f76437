"""The gateway's own audit chain: its state changes (API keys, webhook subscriptions, redeliveries)
are appended to its kernel outbox table with the very same hash chain every service uses
(govkit.outbox.chain_hash / verify_chain), so `python -m govkit.cli audit-verify --service gateway`
checks it like any other service. The gateway publishes none of these rows to the broker: they are
stamped published at write time."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.context import request_id_var, traceparent_var
from govkit.db import utcnow
from govkit.kernel_models import OutboxEvent
from govkit.outbox import _last_hash, chain_hash


async def record(
    session: AsyncSession, type_: str, data: dict[str, Any], actor: Principal, subject: str | None = None
) -> OutboxEvent:
    """Append one audit entry in the current transaction (committed with the change it records)."""
    pending: list[OutboxEvent] = session.info.setdefault("pending_outbox", [])
    prev = pending[-1].hash if pending else await _last_hash(session)
    now = utcnow()
    row = OutboxEvent(
        event_id=str(uuid.uuid4()),
        type=type_,
        subject=subject,
        time=now,
        data=data,
        actor=actor.sub,
        actor_org=actor.org,
        rule=None,
        request_id=request_id_var.get(),
        traceparent=traceparent_var.get(),
        prev_hash=prev,
        attempts=0,
        published_at=now,
    )
    row.hash = chain_hash(prev, row)
    session.add(row)
    await session.flush()
    pending.append(row)
    return row
