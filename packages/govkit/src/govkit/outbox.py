"""Transactional outbox: `emit` writes the event row in the business transaction (hash-chained,
so the outbox doubles as the audit log); `Relay` publishes unsent rows to Kafka, retries with
backoff through broker outages, and marks them sent."""

from __future__ import annotations

import asyncio
import hashlib
import uuid

import orjson
import structlog
from sqlalchemy import LargeBinary, bindparam, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .auth import Principal
from .context import request_id_var, traceparent_var
from .db import is_postgres, unit_of_work, utcnow
from .events import PUBLISHER, CloudEvent, EventData, topic_of
from .kafka import backoff_delay, bounded
from .kernel_models import OutboxEvent
from .tracing import publish_span

log = structlog.get_logger()
GENESIS = "0" * 64


def chain_hash(prev_hash: str, row: OutboxEvent) -> str:
    """sha256 over the previous link and the row's immutable content."""
    return hashlib.sha256(prev_hash.encode() + chain_body(row)).hexdigest()


def chain_body(row: OutboxEvent) -> bytes:
    """The row's immutable content as hashed: sorted-key JSON."""
    return orjson.dumps(
        {
            "event_id": row.event_id,
            "type": row.type,
            "subject": row.subject,
            "time": row.time.isoformat(),
            "data": row.data,
            "actor": row.actor,
            "actor_org": row.actor_org,
            "rule": row.rule,
            "request_id": row.request_id,
        },
        option=orjson.OPT_SORT_KEYS,
    )


CHAIN_LOCK = 7140001  # serialises the writers of a PostgreSQL outbox until they commit


async def _last_hash(session: AsyncSession) -> str:
    if is_postgres(session):
        # Serialise writers until commit: seq order is commit order and the chain has no forks.
        await session.execute(text(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})"))
    last = await session.scalar(select(OutboxEvent.hash).order_by(OutboxEvent.seq.desc()).limit(1))
    return last or GENESIS


async def emit(
    session: AsyncSession,
    payload: EventData,
    *,
    actor: Principal | str | None,
    rule: str | None = None,
    subject: str | None = None,
) -> OutboxEvent:
    """Record an event in the current transaction. Only the event's own service may publish it."""
    etype = type(payload).__name__
    service = unit_of_work(session).service
    if PUBLISHER.get(etype) != service:
        raise ValueError(f"{service} cannot publish {etype} (published by {PUBLISHER.get(etype)})")
    return await append(
        session,
        etype,
        payload.model_dump(mode="json"),
        actor=actor,
        rule=rule,
        subject=subject or (str(payload.project_id) if payload.project_id else None),
    )


async def append(
    session: AsyncSession,
    etype: str,
    data: dict,
    *,
    actor: Principal | str | None,
    rule: str | None = None,
    subject: str | None = None,
    published: bool = False,
) -> OutboxEvent:
    """Append one row to the hash-chained outbox (the audit log) in the current transaction.
    `emit` is this for a registered event; `published=True` is an audit entry the relay never sends
    (the gateway's API keys and webhook subscriptions: it publishes nothing to the broker)."""
    if isinstance(actor, Principal):
        actor_name, actor_org = actor.sub, actor.org
    else:
        actor_name, actor_org = actor, None
    await session.connection()  # begin: the pending events below belong to this transaction only
    tx = session.sync_session.get_transaction()
    uow = unit_of_work(session)
    if uow.pending_tx is not tx:  # committed or rolled back since: start over
        uow.pending_outbox, uow.pending_tx = [], tx
    pending: list[OutboxEvent] = uow.pending_outbox
    now = utcnow()
    row = OutboxEvent(
        event_id=str(uuid.uuid4()),
        type=etype,
        subject=subject,
        time=now,
        data=data,
        actor=actor_name,
        actor_org=actor_org,
        rule=rule,
        request_id=request_id_var.get(),
        traceparent=traceparent_var.get(),
        attempts=0,
        published_at=now if published else None,
    )
    if not pending and is_postgres(session):
        await _append_first(session, row)
    else:
        row.prev_hash = pending[-1].hash if pending else await _last_hash(session)
        row.hash = chain_hash(row.prev_hash, row)
        session.add(row)
        await session.flush()
    pending.append(row)
    if not published:
        uow.emitted = True  # the relay is woken after the commit
    return row


async def _append_first(session: AsyncSession, row: OutboxEvent) -> None:
    """The transaction's first event on PostgreSQL in two round trips (was three): the chain lock,
    then one INSERT that reads the last link and hashes onto it in SQL — sha256(prev || content), the
    very bytes `chain_hash` hashes. The INSERT starts after the lock is granted, so it sees the last
    committed link. `row` stays outside the session (it is not inserted twice); seq and the links
    are copied onto it."""
    await session.execute(text(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})"))
    table = OutboxEvent.__table__
    last = select(table.c.hash).order_by(table.c.seq.desc()).limit(1).scalar_subquery()
    prev = func.coalesce(last, GENESIS)
    digest = func.encode(
        func.sha256(func.convert_to(prev, "UTF8").op("||")(bindparam("body", chain_body(row), LargeBinary))), "hex"
    )
    values = {c.key: getattr(row, c.key) for c in table.c if c.key not in ("seq", "prev_hash", "hash")}
    values = {k: v for k, v in values.items() if v is not None}
    await session.flush()  # pending ORM changes first, in the order they were made
    seq, row.prev_hash, row.hash = (
        await session.execute(
            insert(table)
            .values(**values, prev_hash=prev, hash=digest)
            .returning(table.c.seq, table.c.prev_hash, table.c.hash)
        )
    ).one()
    row.seq = seq


def to_cloudevent(row: OutboxEvent, service: str) -> CloudEvent:
    return CloudEvent(
        id=row.event_id,
        source=f"/govpm/{service}",
        type=row.type,
        time=row.time,
        subject=row.subject,
        data=row.data,
        seq=row.seq,
        actor=row.actor,
        actororg=row.actor_org,
        rule=row.rule,
        requestid=row.request_id,
        traceparent=row.traceparent,
        partitionkey=row.subject,
    )


async def event_log(
    session: AsyncSession, service: str, after: int, limit: int, subject: str | None = None
) -> list[CloudEvent]:
    stmt = select(OutboxEvent).where(OutboxEvent.seq > after).order_by(OutboxEvent.seq).limit(limit)
    if subject:
        stmt = stmt.where(OutboxEvent.subject == subject)
    rows = (await session.scalars(stmt)).all()
    return [to_cloudevent(r, service) for r in rows]


async def verify_chain(session: AsyncSession) -> list[dict]:
    """Every broken link in the chain (empty list: the audit log is intact)."""
    broken: list[dict] = []
    prev = GENESIS
    result = await session.stream_scalars(select(OutboxEvent).order_by(OutboxEvent.seq))
    async for row in result:
        if row.prev_hash != prev:
            broken.append({"seq": row.seq, "problem": "prev_hash does not match the previous row"})
        if chain_hash(row.prev_hash, row) != row.hash:
            broken.append({"seq": row.seq, "problem": "content does not match its hash"})
        prev = row.hash
    return broken


def relay_lock_key(service: str) -> int:
    """The advisory lock id of a service's relay: a stable signed 64-bit number from its name."""
    return int.from_bytes(hashlib.sha256(f"govpm-relay:{service}".encode()).digest()[:8], "big", signed=True)


class Relay:
    """Publishes the outbox to Kafka in seq order. Woken after each commit that emitted."""

    def __init__(self, service: str, sessionmaker: async_sessionmaker, settings):
        self.service = service
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.topic = topic_of(service)
        self._wake = asyncio.Event()
        self._producer = None
        self.connected = False
        self.published = 0
        self.failed_rounds = 0  # rounds that ended in a failure (broker away, publish refused)

    def wake(self) -> None:
        self._wake.set()

    async def _ensure_producer(self):
        if self._producer is None:
            from aiokafka import AIOKafkaProducer

            from .kafka import ensure_topics, topic_settings

            await ensure_topics(self.settings.kafka_bootstrap, [self.topic], **topic_settings(self.settings))
            producer = AIOKafkaProducer(
                bootstrap_servers=self.settings.kafka_bootstrap,
                acks="all",
                linger_ms=0,
                enable_idempotence=self.settings.kafka_idempotent_producer,
                request_timeout_ms=5000,
                metadata_max_age_ms=5000,
            )
            try:
                await producer.start()
            except Exception:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _drop_producer(self) -> None:
        producer, self._producer = self._producer, None
        self.connected = False
        if producer is not None:
            try:
                await bounded(producer.stop(), 10)
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling():
                    raise
            except Exception:  # noqa: BLE001 - the broker is gone; nothing to flush
                pass

    def _claim(self, session: AsyncSession, limit: int):
        """One statement: mark the oldest unpublished rows published and return them. On PostgreSQL
        only the holder of the relay's transaction-scoped advisory lock gets rows: one publisher per
        database at a time (with several replicas each taking the next rows, a project's events could
        reach Kafka out of order); the others get none and stand by until the next wake. The outer
        `published_at IS NULL` is re-checked on each row's latest version, so rows another replica
        published meanwhile are not taken twice. If the send fails the transaction rolls back."""
        oldest = (
            select(OutboxEvent.seq).where(OutboxEvent.published_at.is_(None)).order_by(OutboxEvent.seq).limit(limit)
        )
        stmt = update(OutboxEvent).where(OutboxEvent.published_at.is_(None), OutboxEvent.seq.in_(oldest))
        if is_postgres(session):
            lock = select(func.pg_try_advisory_xact_lock(relay_lock_key(self.service)).label("ok")).cte("relay_lock")
            stmt = stmt.where(select(lock.c.ok).scalar_subquery())
        return (
            stmt.values(published_at=utcnow(), last_error=None)
            .returning(OutboxEvent)
            .execution_options(synchronize_session=False)
        )

    async def publish_batch(self, limit: int = 500) -> int:
        """Publish up to `limit` rows: one UPDATE … RETURNING and its commit (was: lock, select, update,
        commit, then the same again to find nothing left)."""
        async with self.sessionmaker() as session:
            rows: list[OutboxEvent] = sorted(
                (await session.scalars(self._claim(session, limit))).all(), key=lambda r: r.seq
            )
            if not rows:
                await session.rollback()
                return 0
            try:
                producer = await self._ensure_producer()
                futures = []
                for r in rows:  # a span per publish; the CloudEvent leaves with its traceparent
                    with publish_span(self.service, self.topic, to_cloudevent(r, self.service)) as ce:
                        futures.append(
                            await producer.send(
                                self.topic,
                                key=(r.subject or r.event_id).encode(),
                                value=ce.to_json(),
                                headers=[("content-type", b"application/cloudevents+json")],
                            )
                        )
                await asyncio.gather(*futures)
            except Exception as exc:
                await session.rollback()  # the rows stay unpublished
                await self._record_failure([r.seq for r in rows], exc)
                raise
            await session.commit()
            self.connected = True
            self.published += len(rows)
            return len(rows)

    async def _record_failure(self, seqs: list[int], exc: Exception) -> None:
        async with self.sessionmaker() as session:
            await session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.seq.in_(seqs))
                .values(attempts=OutboxEvent.attempts + 1, last_error=str(exc)[:500])
            )
            await session.commit()

    async def run(self) -> None:
        """Publish forever; on any failure drop the producer and back off (0.2 s doubling to 5 s)."""
        failures = 0
        while True:
            try:
                await self._loop()
            except asyncio.CancelledError as cancelled:
                if asyncio.current_task().cancelling():
                    raise  # the service is stopping
                # aiokafka, failing against a broker that restarted empty, can let a cancellation of
                # its own tasks escape into ours: a failure like any other.
                exc = RuntimeError(f"stray cancellation from the Kafka client: {cancelled!r}")
            except Exception as e:  # noqa: BLE001
                exc = e
            failures = 0 if self.connected else failures + 1
            self.failed_rounds += 1
            await self._drop_producer()
            delay = backoff_delay(failures)
            log.warning("relay_failed", error=str(exc) or type(exc).__name__, retry_in_s=round(delay, 2))
            await asyncio.sleep(delay)

    async def _loop(self) -> None:
        await self._ensure_producer()
        self.connected = True
        loop = asyncio.get_running_loop()
        next_probe = loop.time() + 5
        limit = 500
        while True:
            # A batch shorter than the limit took everything committed before it began (the wake is
            # cleared before each batch, and set after each commit): no second query to find nothing.
            while await self.publish_batch(limit) >= limit:
                pass
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.relay_poll_s)
            except TimeoutError:
                if loop.time() >= next_probe:  # idle: make sure the broker is still there
                    next_probe = loop.time() + 5
                    await asyncio.wait_for(self._producer.client.fetch_all_metadata(), timeout=5)
            self._wake.clear()

    async def close(self) -> None:
        await self._drop_producer()
