"""The consumer: typed handlers fed from Kafka and from the publishers' event logs.

A service registers its handlers by event class (`{ProjectApproved: on_project_approved}`); the
consumer parses each event once with the class the registry (`govkit.events`) holds for its type and
hands the handler the typed payload and the envelope: `await handler(session, data, event)`. Every
consumed event takes effect in one transaction that also claims its id in the inbox
(`govkit.inbox`), so a redelivery changes nothing. Two paths feed the same `handle`:

- Kafka (fast path): every partition of the topics it needs assigned by the consumer itself (no
  group membership: a restarted service fetches at once instead of waiting for the group to evict
  its dead member and rebalance — about 11 s on Tansu), offsets committed under the service's group
  id after the effect; on PostgreSQL one consumer per service database at a time (a session advisory
  lock; other replicas stand by and take over when its connection goes);
- catch-up (safety net): the publishers' `/internal/events` logs read from a stored cursor, at
  start, periodically, and whenever the broker looks reset (a Tansu restart comes back empty).

An event whose handler raises `PredecessorMissing` (it needs an earlier event about the same project
that has not been applied here: another service's, or one delivered out of order) is parked
(`parked_events`) instead of dead-lettered; later events of the same publisher about that project
wait behind it, and the parked events are applied, in order, as soon as an event about their project
is applied here (and by a periodic sweep). Parked count and oldest age are in /metrics and /readyz.

An event no handler registers is not claimed (the wildcard consumers — oversight, the gateway — take
every type; a type the registry does not know reaches them as the base `EventData`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx
import structlog
from pydantic import ValidationError
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from . import inbox
from .auth import service_token
from .db import unit_of_work, utcnow
from .errors import PredecessorMissing
from .events import EVENT_TYPES, PUBLISHER, CloudEvent, EventData, topic_of
from .kafka import backoff_delay, bounded, ensure_topics, topic_settings
from .kernel_models import ConsumerCursor, ParkedEvent
from .tracing import consume_span

log = structlog.get_logger()

# `async def on_x(session, data: X, event: CloudEvent)`: the payload typed, the envelope for its
# id, time, actor. (Callable[..., …]: each handler narrows `data` to its own class.)
Handler = Callable[[AsyncSession, Any, CloudEvent], Awaitable[None]]
Handlers = Mapping[type[EventData], Handler]
MAX_ATTEMPTS = 3
LEADER_RETRY_S = 2.0  # how often a standing-by replica tries to take the consumer's lock
LOCK_CHECK_S = 10.0  # how often the consuming replica checks that its lock's connection is alive
BATCH = 50  # consumed events applied in one transaction at most


def payload_class(event_type: str) -> type[EventData]:
    """The registered payload model of an event type (the base `EventData` for a type not registered)."""
    return EVENT_TYPES.get(event_type, EventData)


def by_type(handlers: Handlers) -> dict[str, Handler]:
    """The handler table keyed by type name; every key must be the class the registry holds."""
    table: dict[str, Handler] = {}
    for cls, handler in handlers.items():
        name = getattr(cls, "__name__", str(cls))
        if EVENT_TYPES.get(name) is not cls:
            raise ValueError(f"handler for an event class that is not registered: {cls!r}")
        table[name] = handler
    return table


class _FetchPace:
    """How long the broker may hold an empty fetch. Tansu answers a long poll only when the wait is
    over, so the wait is the event latency: short (GOVPM_FETCH_MAX_WAIT_MS) while events flow, longer
    (GOVPM_IDLE_FETCH_MAX_WAIT_MS) after IDLE_AFTER_S without one, when a hundred empty fetches a
    second per consumer were most of an idle stack's CPU. The first event after a quiet spell waits
    up to the idle figure; the next ones are fast again. (aiokafka reads the wait per request from
    its fetcher; without that attribute the pace stays fixed.)"""

    IDLE_AFTER_S = 2.0

    def __init__(self, consumer, settings):
        self._fetcher = getattr(consumer, "_fetcher", None)
        self.busy_ms, self.idle_ms = settings.fetch_max_wait_ms, settings.idle_fetch_max_wait_ms
        self.idle = False
        self._last = None

    def saw(self, events: bool, now: float) -> None:
        if self._fetcher is None or not hasattr(self._fetcher, "_fetch_max_wait_ms"):
            return
        if events or self._last is None:
            self._last = now
            if self.idle:
                self.idle = False
                self._fetcher._fetch_max_wait_ms = self.busy_ms
        elif not self.idle and now - self._last >= self.IDLE_AFTER_S and self.idle_ms > self.busy_ms:
            self.idle = True
            self._fetcher._fetch_max_wait_ms = self.idle_ms


BROKER_STEP_S = 30.0  # the longest a consumer waits on one broker step (topics, join, leave)


async def _stop_quietly(consumer) -> None:
    """Leave the group if the broker answers soon; a broker that restarted empty may never answer."""
    try:
        await bounded(consumer.stop(), 10)
    except asyncio.CancelledError:
        if asyncio.current_task().cancelling():
            raise
        log.info("consumer_stop_abandoned", error="stray cancellation")
    except Exception:  # noqa: BLE001 - the broker is gone or reset; the next client starts clean
        log.info("consumer_stop_abandoned")


def consumer_lock_key(service: str) -> int:
    """The advisory lock id of a service's Kafka consumer: a stable signed 64-bit number from its name."""
    return int.from_bytes(hashlib.sha256(f"govpm-consumer:{service}".encode()).digest()[:8], "big", signed=True)


def backlog(highwater, committed: dict, assigned) -> int:
    """Events the broker holds that this consumer has not applied yet, over its assigned partitions
    (`highwater(tp)` is the log end the last fetch reported, None before the first one)."""
    total = 0
    for tp in assigned:
        end, mine = highwater(tp), committed.get(tp)
        if end is not None and mine is not None and end > mine:
            total += end - mine
    return total


class ConsumerRunner:
    def __init__(
        self,
        service: str,
        sessionmaker: async_sessionmaker,
        settings,
        handlers: Handlers,
        wildcard: Handler | None = None,
        on_commit=None,
    ):
        self.service = service
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.handlers = by_type(handlers)  # type name → handler (the class checked against the registry)
        self.wildcard = wildcard
        self.on_commit = on_commit  # called after a commit that emitted events (wakes the relay)
        sources = set(PUBLISHER.values()) if wildcard else {PUBLISHER[t] for t in self.handlers}
        self.sources = sorted(sources)
        self.topics = [topic_of(s) for s in self.sources]
        self.connected = False
        self.standby = False  # another replica holds the consumer's lock: it consumes, this one waits
        self.handled = 0
        self.backlog = 0  # events on the broker not yet applied (Σ log end − our offset, assigned partitions)
        self.oldest_pending_ms: int | None = None  # broker timestamp of the oldest fetched, unapplied event
        self._catchup_now = asyncio.Event()
        self._catchup_lock = asyncio.Lock()
        # Parked events (held until their predecessor is applied): what this process knows of them,
        # refreshed from the table by the sweep; (key, source) pairs whose later events must wait.
        self.parked = 0
        self.oldest_parked_at = None
        self._parked_keys: set[tuple[str, str]] = set()
        self._parked_lock = asyncio.Lock()

    def wants(self, event_type: str) -> bool:
        return self.wildcard is not None or event_type in self.handlers

    # -- the one place an event takes effect -------------------------------------------------
    async def handle(self, event: CloudEvent) -> bool:
        """Apply the event once. Returns False when it had already been processed."""
        if not self.wants(event.type):
            return False
        with consume_span(self.service, event) as done:  # span (parent: event.traceparent) + metrics
            applied = done(await self._handle(event) is True)  # None: parked
        if applied:
            await self._unpark_after([event])
        return applied

    # -- parking: an event whose predecessor has not been applied yet ------------------------
    def _held(self, event: CloudEvent) -> bool:
        """An earlier event of the same publisher about the same project is parked: this one waits too."""
        return bool(self._parked_keys) and (event.subject, event.source) in self._parked_keys

    async def _park(self, event: CloudEvent, reason: str) -> None:
        async with self.sessionmaker() as session:
            await session.execute(
                inbox.insert_for(session)(ParkedEvent)
                .values(
                    event_id=event.id,
                    key=event.subject or "",
                    source=event.source,
                    type=event.type,
                    seq=event.seq,
                    time=event.time,
                    envelope=event.model_dump(mode="json", exclude_none=True),
                    reason=reason[:2000],
                    parked_at=utcnow(),
                    attempts=1,
                )
                .on_conflict_do_nothing(index_elements=["event_id"])
            )
            await session.commit()
        self.parked += 1  # until the sweep counts again
        self._parked_keys.add((event.subject or "", event.source))
        self.oldest_parked_at = self.oldest_parked_at or utcnow()
        log.info("event_parked", event_type=event.type, event_id=event.id, key=event.subject, reason=reason)

    async def _unpark_after(self, applied: list[CloudEvent]) -> None:
        """Events about these projects were applied: parked ones of the same projects may go now."""
        if not self._parked_keys:
            return
        keys = {ev.subject for ev in applied if ev.subject} & {k for k, _ in self._parked_keys}
        if keys:
            await self.retry_parked(keys)

    async def refresh_parked(self) -> int:
        """Read what is parked (count, oldest, which keys): one GROUP BY."""
        async with self.sessionmaker() as session:
            rows = (
                await session.execute(
                    select(ParkedEvent.key, ParkedEvent.source, func.count(), func.min(ParkedEvent.parked_at)).group_by(
                        ParkedEvent.key, ParkedEvent.source
                    )
                )
            ).all()
        self._parked_keys = {(k, src) for k, src, _, _ in rows}
        self.parked = sum(n for _, _, n, _ in rows)
        self.oldest_parked_at = min((t for _, _, _, t in rows), default=None)
        return self.parked

    async def retry_parked(self, keys: set[str] | None = None) -> int:
        """Apply the parked events (of these keys, or all) in their order: by time, then the publisher's
        sequence. One that still misses its predecessor stays parked, and so do the later ones of its
        publisher about the same project. Returns how many were applied."""
        async with self._parked_lock:
            async with self.sessionmaker() as session:
                stmt = select(ParkedEvent.envelope).order_by(ParkedEvent.time, ParkedEvent.seq)
                if keys is not None:
                    stmt = stmt.where(ParkedEvent.key.in_(sorted(keys)))
                envelopes = (await session.scalars(stmt)).all()
            blocked: set[tuple[str, str]] = set()
            applied = 0
            for envelope in envelopes:
                event = CloudEvent.model_validate(envelope)
                if (event.subject or "", event.source) in blocked:
                    continue
                with consume_span(self.service, event) as done:
                    outcome = await self._handle(event, parked=True)
                    done(outcome is True)
                if outcome is None:
                    blocked.add((event.subject or "", event.source))
                elif outcome:
                    applied += 1
            await self.refresh_parked()
        if applied:
            log.info("parked_events_applied", events=applied)
        return applied

    def _shared_database(self) -> bool:
        engine = self.sessionmaker.kw.get("bind")
        return engine is not None and engine.dialect.name == "postgresql"

    async def run_parked_loop(self) -> None:
        """The sweep: what is parked is re-read (for /metrics and /readyz) and retried every interval."""
        interval = self.settings.park_retry_interval_s
        started = False
        while True:
            try:
                # Read at start (rows parked before a restart), then on PostgreSQL every time (another
                # replica may park); SQLite has one process per database: what it parked is all there is.
                if (not started or self.parked or self._shared_database()) and await self.refresh_parked():
                    await self.retry_parked()
                started = True
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling():
                    raise
                log.warning("parked_sweep_incomplete", error="stray cancellation")
            except Exception as exc:  # noqa: BLE001 - the database may be away; try again later
                log.info("parked_sweep_incomplete", error=str(exc) or type(exc).__name__)
            await asyncio.sleep(interval)

    def parse(self, event: CloudEvent) -> EventData:
        """The payload as its registered class. A payload that does not match it fails for a handler of
        that type; a wildcard handler alone (which forwards or records the envelope) gets the base
        `EventData` instead, as it got the raw event before payloads were typed."""
        try:
            return payload_class(event.type).model_validate(event.data)
        except ValidationError:
            if event.type in self.handlers:
                raise
            log.warning("event_payload_not_parsed", event_type=event.type, event_id=event.id)
            try:
                return EventData.model_validate(event.data)
            except ValidationError:
                return EventData()

    async def _handle(self, event: CloudEvent, *, parked: bool = False) -> bool | None:
        """True: applied now; False: applied (or dead-lettered) before, or dead-lettered now; None: parked
        (its predecessor is missing). `parked`: the event comes from `parked_events`, whose row goes in
        the transaction that applies it."""
        try:
            data = self.parse(event)  # once, for every attempt
        except ValidationError as exc:
            if await inbox.is_recorded(self.sessionmaker, event.id):
                return False
            await inbox.dead_letter(self.sessionmaker, event, f"payload does not match {event.type}: {exc}")
            return False
        if not parked and self._held(event):
            if await inbox.is_recorded(self.sessionmaker, event.id):
                return False
            await self._park(event, "an earlier event of this project from the same publisher is parked")
            # It may be the predecessor itself, delivered late: the parked ones go again in their order.
            await self.retry_parked({event.subject or ""})
            return None
        unpark = delete(ParkedEvent).where(ParkedEvent.event_id == event.id)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            async with self.sessionmaker() as session:
                if await session.scalar(inbox.claim(session, event)) is None:
                    if parked:  # applied meanwhile (another replica, a redelivery): only the row goes
                        await session.execute(unpark)
                        await session.commit()
                    else:
                        await session.rollback()
                    return False  # processed (or dead-lettered) before
                try:
                    handler = self.handlers.get(event.type)
                    if handler is not None:
                        await handler(session, data, event)
                    if self.wildcard is not None:
                        await self.wildcard(session, data, event)
                    if parked:
                        await session.execute(unpark)
                    emitted = unit_of_work(session).emitted
                    await session.commit()
                except PredecessorMissing as missing:
                    await session.rollback()
                    if parked:  # still missing: it stays parked
                        async with self.sessionmaker() as s:
                            await s.execute(
                                update(ParkedEvent)
                                .where(ParkedEvent.event_id == event.id)
                                .values(attempts=ParkedEvent.attempts + 1)
                            )
                            await s.commit()
                    else:
                        await self._park(event, str(missing))
                    return None
                except IntegrityError:
                    await session.rollback()
                    if await inbox.is_recorded(self.sessionmaker, event.id):
                        return False
                    if attempt == MAX_ATTEMPTS:
                        await self._dead_letter(event, "integrity error", parked)
                        return False
                    continue
                except Exception as exc:  # noqa: BLE001 - a poison event must not block the stream
                    await session.rollback()
                    log.exception("event_handler_failed", event_type=event.type, event_id=event.id, attempt=attempt)
                    if attempt == MAX_ATTEMPTS:
                        await self._dead_letter(event, repr(exc), parked)
                        return False
                    await asyncio.sleep(0.05 * attempt)
                    continue
            self.handled += 1
            if emitted and self.on_commit:
                self.on_commit()
            return True
        return False

    async def _dead_letter(self, event: CloudEvent, error: str, parked: bool) -> None:
        await inbox.dead_letter(self.sessionmaker, event, error)
        if parked:
            async with self.sessionmaker() as session:
                await session.execute(delete(ParkedEvent).where(ParkedEvent.event_id == event.id))
                await session.commit()

    async def handle_many(self, events: list[CloudEvent]) -> int:
        """Apply fetched events in as few transactions as possible: up to BATCH in one, with a single
        INSERT claiming every id and a single commit (alone, each event costs a BEGIN, a claim and a
        COMMIT with its fsync). Each handler runs in order, inside its own event's consumer span (so
        what it emits carries that event's request id and traceparent). If anything in a batch
        fails, the batch is rolled back and its events are applied one by one (`handle`, with its
        retries and dead letters). Returns how many were applied."""
        wanted = list({ev.id: ev for ev in events if self.wants(ev.type)}.values())
        applied = 0
        for i in range(0, len(wanted), BATCH):
            chunk = wanted[i : i + BATCH]
            n = await self._apply_batch(chunk) if len(chunk) > 1 else None
            if n is None:
                for ev in chunk:
                    applied += await self.handle(ev)
            else:
                applied += n
                await self._unpark_after(chunk)
        return applied

    async def _apply_batch(self, chunk: list[CloudEvent]) -> int | None:
        """One transaction for the chunk; None when it was rolled back (then nothing of it is applied)."""
        if any(self._held(ev) for ev in chunk):
            return None  # one by one: those waiting behind a parked event are parked too
        try:
            parsed = [(ev, self.parse(ev)) for ev in chunk]
        except ValidationError:
            return None
        applied = 0
        async with self.sessionmaker() as session:
            try:
                claimed = set((await session.scalars(inbox.claim_many(session, chunk))).all())
                for event, data in parsed:
                    with consume_span(self.service, event) as done:
                        if event.id not in claimed:  # processed (or dead-lettered) before
                            done(False)
                            continue
                        handler = self.handlers.get(event.type)
                        if handler is not None:
                            await handler(session, data, event)
                        if self.wildcard is not None:
                            await self.wildcard(session, data, event)
                        done(True)
                        applied += 1
                emitted = unit_of_work(session).emitted
                await session.commit()
            except Exception:  # noqa: BLE001 - one at a time then, each with its retries
                await session.rollback()
                log.info("event_batch_applied_one_by_one", events=len(chunk))
                return None
        self.handled += applied
        if emitted and self.on_commit:
            self.on_commit()
        return applied

    # -- catch-up from the publishers' event logs ---------------------------------------------
    async def catch_up(self, client: httpx.AsyncClient | None = None) -> int:
        """Read every source's /internal/events after our cursor; returns events applied."""
        async with self._catchup_lock:
            own = client is None
            client = client or httpx.AsyncClient(timeout=10)
            applied = 0
            try:
                for source in self.sources:
                    applied += await self._catch_up_source(client, source)
            finally:
                if own:
                    await client.aclose()
            return applied

    async def _catch_up_source(self, client: httpx.AsyncClient, source: str) -> int:
        async with self.sessionmaker() as session:
            cursor = await session.get(ConsumerCursor, source)
            after = cursor.last_seq if cursor else 0
        base = self.settings.service_url(source)
        headers = {"Authorization": f"Bearer {service_token(self.settings.jwt_secret, self.service)}"}
        applied = 0
        while True:
            resp = await client.get(f"{base}/internal/events", params={"after": after, "limit": 500}, headers=headers)
            resp.raise_for_status()
            items = [CloudEvent.model_validate(i) for i in resp.json()["items"]]
            if not items:
                return applied
            # Usually Kafka has delivered them already: one query finds those, the rest are applied.
            wanted = [ev for ev in items if self.wants(ev.type)]
            done = await inbox.recorded(self.sessionmaker, [ev.id for ev in wanted])
            applied += await self.handle_many([ev for ev in wanted if ev.id not in done])
            after = items[-1].seq
            async with self.sessionmaker() as session:
                cursor = await session.get(ConsumerCursor, source)
                if cursor is None:
                    session.add(ConsumerCursor(source=source, last_seq=after))
                elif cursor.last_seq < after:
                    cursor.last_seq = after
                await session.commit()

    def request_catch_up(self) -> None:
        self._catchup_now.set()

    async def run_catch_up_loop(self) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            while True:
                try:
                    n = await self.catch_up(client)
                    if n:
                        log.info("caught_up", events=n)
                except asyncio.CancelledError:
                    if asyncio.current_task().cancelling():
                        raise  # the service is stopping
                    # Not ours (a client library's own cancellation escaping): the safety net must not end.
                    log.warning("catch_up_incomplete", error="stray cancellation")
                except Exception as exc:  # noqa: BLE001 - a publisher may be down; try again later
                    log.info("catch_up_incomplete", error=str(exc) or type(exc).__name__)
                # A safety net: while the Kafka consumer is connected it runs seldom (each pass re-reads
                # what Kafka delivered meanwhile); when the consumer is down or restarting, often.
                interval = (
                    self.settings.catchup_healthy_interval_s
                    if self.connected or self.standby  # standing by: another replica consumes
                    else self.settings.catchup_interval_s
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._catchup_now.wait(), timeout=interval)
                self._catchup_now.clear()

    # -- Kafka --------------------------------------------------------------------------------
    async def run_kafka(self) -> None:
        failures = 0
        while True:
            try:
                await self._consume()
            except asyncio.CancelledError as cancelled:
                if asyncio.current_task().cancelling():
                    raise  # the service is stopping
                # Not ours: aiokafka, failing against a broker that restarted empty, can let a
                # cancellation of its own tasks escape into ours. Start over like any other failure.
                exc = RuntimeError(f"stray cancellation from the Kafka client: {cancelled!r}")
            except Exception as e:  # noqa: BLE001
                exc = e
            self.connected = False  # _consume runs until it fails: here it failed
            failures += 1
            delay = backoff_delay(failures)
            log.warning("consumer_restarting", error=str(exc) or type(exc).__name__, retry_in_s=round(delay, 2))
            self.request_catch_up()
            await asyncio.sleep(delay)

    @contextlib.asynccontextmanager
    async def _leadership(self):
        """On PostgreSQL, hold the service's consumer lock (session advisory lock on a connection of its
        own) for as long as the Kafka consumer runs; a replica that cannot take it stands by and tries
        again. A holder that dies loses the lock with its connection. Yields the connection (None on
        SQLite: one process per database there)."""
        engine = self.sessionmaker.kw.get("bind")
        if engine is None or engine.dialect.name != "postgresql":
            yield None
            return
        key = consumer_lock_key(self.service)
        conn = await engine.connect()
        try:
            while not await conn.scalar(select(func.pg_try_advisory_lock(key))):
                await conn.commit()
                if not self.standby:
                    log.info("consumer_standing_by", reason="another replica consumes")
                self.standby = True
                await asyncio.sleep(LEADER_RETRY_S)
            await conn.commit()
            self.standby = False
            yield conn
        finally:
            self.standby = False
            await conn.invalidate()  # closed, not pooled: the lock goes with the connection
            await conn.close()

    async def _consume(self) -> None:
        async with self._leadership() as lock:
            await self._consume_assigned(lock)

    async def _consume_assigned(self, lock) -> None:
        from aiokafka import AIOKafkaConsumer, TopicPartition

        # Every step that talks to the broker is bounded: after a broker restart aiokafka can wait for
        # ever on a coordinator it remembers; a timeout starts over with a fresh client instead.
        await bounded(
            ensure_topics(self.settings.kafka_bootstrap, self.topics, **topic_settings(self.settings)), BROKER_STEP_S
        )
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap,
            group_id=f"govpm-{self.service}",  # where the offsets are kept; never joined
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self.settings.fetch_max_wait_ms,
            metadata_max_age_ms=3000,
        )
        try:
            await bounded(consumer.start(), BROKER_STEP_S)
            await bounded(self._assign_all(consumer, TopicPartition), BROKER_STEP_S)
        except BaseException:
            await _stop_quietly(consumer)
            raise
        self._committed = {}  # tp → offset we committed; a broker reset forgets it
        log.info("consumer_started", topics=self.topics, partitions=len(consumer.assignment()))
        try:
            self.connected = True
            loop = asyncio.get_running_loop()
            next_check = loop.time() + 2
            next_lock_check = loop.time() + LOCK_CHECK_S
            pace = _FetchPace(consumer, self.settings)
            while True:
                batches = await consumer.getmany(timeout_ms=500, max_records=200)
                pace.saw(bool(batches), loop.time())
                if batches:
                    self.oldest_pending_ms = min(m[0].timestamp for m in batches.values())
                events: list[CloudEvent] = []
                for tp, messages in batches.items():  # each partition's events stay in their order
                    for msg in messages:
                        try:
                            events.append(CloudEvent.from_json(msg.value))
                        except Exception:  # noqa: BLE001 - not ours; skip it
                            log.warning("undecodable_message", topic=tp.topic, offset=msg.offset)
                await self.handle_many(events)
                if batches:  # every partition's offset in one request
                    offsets = {tp: messages[-1].offset + 1 for tp, messages in batches.items()}
                    await consumer.commit(offsets)
                    self._committed.update(offsets)
                self.oldest_pending_ms = None
                self.backlog = backlog(consumer.highwater, self._committed, consumer.assignment())
                if loop.time() >= next_check:
                    next_check = loop.time() + 2
                    # a check that cannot finish (group gone, positions awaiting a reset) is a reset too
                    await bounded(self._check_reset(consumer, TopicPartition), 10)
                if lock is not None and loop.time() >= next_lock_check:
                    # Still holding the lock? A lost connection lost it (meanwhile another replica may
                    # consume too: the inbox makes the overlap harmless).
                    next_lock_check = loop.time() + LOCK_CHECK_S
                    await bounded(lock.execute(text("SELECT 1")), 10)
                    await lock.commit()
        finally:
            self.connected = False
            self.oldest_pending_ms = None
            await _stop_quietly(consumer)

    async def _assign_all(self, consumer, TopicPartition) -> None:
        """Every partition of our topics, resumed from the offsets committed under our group id."""
        await consumer.topics()  # fresh metadata
        partitions = [TopicPartition(t, p) for t in self.topics for p in sorted(consumer.partitions_for_topic(t) or ())]
        if len({tp.topic for tp in partitions}) < len(self.topics):
            raise RuntimeError("topics without partitions yet")
        consumer.assign(partitions)

    async def _check_reset(self, consumer, TopicPartition) -> None:
        """A broker that restarted empty: topics gone or our committed offsets forgotten. The broker's
        answers may lag a commit by a moment, so a suspicion is confirmed once more after a second."""
        topics = await consumer.topics()
        if any(t not in topics for t in self.topics):
            raise RuntimeError("broker reset: topics missing")
        if any(
            len(consumer.partitions_for_topic(t) or ()) != sum(tp.topic == t for tp in consumer.assignment())
            for t in self.topics
        ):
            raise RuntimeError("partitions changed: assigning again")
        assigned = list(consumer.assignment())
        if not assigned:
            return
        reason = await self._reset_suspicion(consumer, assigned)
        if reason is not None:
            await asyncio.sleep(1)
            reason = await self._reset_suspicion(consumer, assigned)
            if reason is not None:
                raise RuntimeError(f"broker reset: {reason}")

    async def _reset_suspicion(self, consumer, assigned) -> str | None:
        # Our committed offsets gone: a broker that restarted empty forgets them (even when new events
        # have since brought the log end back up to our stale position). The log end itself is not
        # compared with our position: Tansu's ListOffsets can report one less than the offsets it has
        # served, which would look like a reset forever. A fetch beyond the log end is reset to the
        # earliest offset by the consumer itself (auto_offset_reset), and catch-up covers the gap.
        for tp, mine in list(getattr(self, "_committed", {}).items()):
            if tp in assigned and ((await consumer.committed(tp)) or 0) < mine:
                return f"committed offset {mine} lost on {tp}"
        return None

    async def cursor(self, source: str) -> int:
        async with self.sessionmaker() as session:
            return (await session.scalar(select(ConsumerCursor.last_seq).where(ConsumerCursor.source == source))) or 0
