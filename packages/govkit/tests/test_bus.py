"""The outbox relay and the consumer runner against a REAL Tansu broker (memory storage, so a
restart comes back empty): publish and mark sent; a state change while the broker is down is
published when it returns (same relay, no restart); the runner recovers from a broker restart;
catch-up from the publisher's /internal/events (served over a real socket) delivers what Kafka lost;
a redelivered event takes effect once."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import httpx
import pytest
import uvicorn
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import select

from govkit.dev.stack import free_port
from govkit.dev.testing import auth, make_event
from govkit.events import CloudEvent
from govkit.kernel_models import InboxEvent, OutboxEvent

from . import ktapp
from .conftest import GOOD_BODY, drop_database, eventually, kt_settings, new_database
from .ktapp import KtThingCreated, consumer_app, publisher_app, seen_counts

pytestmark = pytest.mark.filterwarnings("ignore")

FAST = dict(kafka_enabled=True, relay_poll_s=0.1, fetch_max_wait_ms=10)


class Served:
    """A service app under uvicorn on a real socket, in this event loop (lifespan = relay/consumer)."""

    def __init__(self, app, port: int):
        self.app, self.port = app, port
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on", log_level="warning", access_log=False)
        )
        self.server.install_signal_handlers = lambda: None  # older uvicorn; newer ones ignore it
        self.task: asyncio.Task | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self):
        self.task = asyncio.create_task(self.server.serve())
        await eventually(lambda: self.server.started or self.task.done(), timeout=30)
        if self.task.done():
            self.task.result()
        return self

    async def __aexit__(self, *exc):
        self.server.should_exit = True
        await asyncio.wait_for(self.task, timeout=30)


@pytest.fixture(scope="module")
async def bus(broker):
    pub_url, con_url = await new_database("pub"), await new_database("con")
    port = free_port()
    settings = kt_settings(pub_url, kafka_bootstrap=broker.bootstrap, **FAST)
    async with (
        Served(publisher_app(settings), port) as pub,
        httpx.AsyncClient(base_url=pub.url, timeout=30) as client,
    ):
        yield Bus(broker, pub, client, con_url)
    await drop_database(pub_url)
    await drop_database(con_url)


class Bus:
    def __init__(self, broker, pub: Served, client: httpx.AsyncClient, consumer_db: str):
        self.broker, self.pub, self.client, self.consumer_db = broker, pub, client, consumer_db

    @property
    def relay(self):
        return self.pub.app.state.relay

    async def create(self, org: str = "ORG-BUS") -> str:
        resp = await self.client.post("/things", json=GOOD_BODY, headers=auth("unit", org))
        assert resp.status_code == 201, resp.text
        return resp.json()["id"]

    async def outbox_row(self, subject: str) -> OutboxEvent:
        async with self.pub.app.state.sessionmaker() as s:
            return await s.scalar(select(OutboxEvent).where(OutboxEvent.subject == subject))

    async def published(self, subject: str) -> bool:
        row = await self.outbox_row(subject)
        return row is not None and row.published_at is not None

    @contextlib.asynccontextmanager
    async def consumer(self, catch_up: bool):
        """The consumer service (lifespan: Kafka runner, and the catch-up loop when asked)."""
        settings = kt_settings(
            self.consumer_db,
            kafka_bootstrap=self.broker.bootstrap,
            kt_url=self.pub.url,
            catchup_interval_s=0.5 if catch_up else 0,
            catchup_healthy_interval_s=1.0,
            **FAST,
        )
        app = consumer_app(settings)
        async with app.router.lifespan_context(app):
            yield app

    async def read_topic(self) -> list:
        c = AIOKafkaConsumer(
            bootstrap_servers=self.broker.bootstrap,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=10,
        )
        await c.start()
        try:
            from aiokafka import TopicPartition

            parts = c.partitions_for_topic("govpm.kt") or set()
            if not parts:
                await c._client.force_metadata_update()
                parts = c.partitions_for_topic("govpm.kt") or set()
            tps = [TopicPartition("govpm.kt", p) for p in parts]
            c.assign(tps)
            await c.seek_to_beginning(*tps)
            ends = await c.end_offsets(tps)
            out = []

            async def behind():
                return [tp for tp in tps if await c.position(tp) < ends[tp]]

            while await behind():
                for msgs in (await c.getmany(timeout_ms=500)).values():
                    out += msgs
            return out
        finally:
            await c.stop()


async def test_relay_publishes_rows_and_marks_them_sent(bus):
    thing = await bus.create()
    await eventually(lambda: bus.published(thing))
    row = await bus.outbox_row(thing)
    assert row.last_error is None
    msgs = [m for m in await bus.read_topic() if m.key == thing.encode()]
    assert len(msgs) == 1
    ev = CloudEvent.from_json(msgs[0].value)
    assert (ev.id, ev.type, ev.subject, ev.seq, ev.source) == (
        row.event_id,
        "KtThingCreated",
        thing,
        row.seq,
        "/govpm/kt",
    )
    assert ev.specversion == "1.0" and ev.data["amount"] == "10.00"
    assert dict(msgs[0].headers)["content-type"] == b"application/cloudevents+json"


async def test_consumer_runner_consumes_once_and_ignores_a_redelivery(bus):
    async with bus.consumer(catch_up=False) as app:
        thing = await bus.create()
        await eventually(lambda: app.state.consumer.connected)
        await eventually(async_eq(lambda: seen_for(app, thing), 1))
        # redeliver the very same message on Kafka, then a marker behind it on the same partition
        row = await bus.outbox_row(thing)
        marker = make_event(KtThingCreated(project_id=uuid.uuid4(), name="m", amount="1", org="O"))
        producer = AIOKafkaProducer(bootstrap_servers=bus.broker.bootstrap)
        await producer.start()
        try:
            from govkit.outbox import to_cloudevent

            dup = to_cloudevent(row, "kt").to_json()
            await producer.send_and_wait("govpm.kt", key=thing.encode(), value=dup)
            await producer.send_and_wait("govpm.kt", key=thing.encode(), value=marker.to_json())
        finally:
            await producer.stop()
        await eventually(async_eq(lambda: seen_for(app, marker.subject), 1))
        assert await seen_for(app, thing) == 1


async def test_one_replica_consumes_the_other_stands_by_and_takes_over_when_it_goes(bus):
    """Two replicas of a consuming service on one PostgreSQL database: one holds the consumer's lock and
    consumes every partition itself (no group to join), the other stands by (ready) and consumes once
    the first is gone."""
    from .conftest import TEST_PG

    if not TEST_PG:
        pytest.skip("the consumer's lock is PostgreSQL's (SQLite has one process per database)")
    async with contextlib.AsyncExitStack() as second_stack:
        async with bus.consumer(catch_up=False) as first:
            await eventually(lambda: first.state.consumer.connected)
            second = await second_stack.enter_async_context(bus.consumer(catch_up=False))
            await eventually(lambda: second.state.consumer.standby)
            assert not second.state.consumer.connected
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://t") as c:
                assert (await c.get("/readyz")).json()["consumer"] is True  # standing by is ready
            thing = await bus.create()
            await eventually(async_eq(lambda: seen_for(first, thing), 1))
            assert first.state.consumer.handled >= 1 and second.state.consumer.handled == 0
        # the first replica is gone: the second takes the lock and consumes
        await eventually(lambda: second.state.consumer.connected, timeout=30)
        assert not second.state.consumer.standby
        later = await bus.create()
        await eventually(async_eq(lambda: seen_for(second, later), 1))


async def test_a_poison_event_is_dead_lettered_and_does_not_block_the_stream(bus):
    ktapp.POISON_CALLS.clear()
    async with bus.consumer(catch_up=False) as app:
        await bus.client.post("/poison", headers=auth("unit", "ORG-BUS"))
        things = [await bus.create() for _ in range(4)]
        for t in things:
            await eventually(async_eq(lambda t=t: seen_for(app, t), 1))
        await eventually(lambda: len(ktapp.POISON_CALLS) >= 3)
        async with app.state.sessionmaker() as s:
            failed = (await s.scalars(select(InboxEvent).where(InboxEvent.status == "failed"))).all()
        assert [f.type for f in failed] == ["KtPoison"]


async def _change_while_the_broker_is_down(bus) -> str:
    """Stop the broker, commit a state change, check its row stays unsent, start the broker again
    (EMPTY: memory storage) and wait until the same relay has published the row. Returns its id."""
    relay_task = next(t for t in bus.pub.app.state.tasks if t.get_name() == "kt-relay")
    bus.broker.stop()
    await eventually(lambda: not bus.relay.connected, timeout=30)
    thing = await bus.create()  # the business transaction commits without the broker
    row = await bus.outbox_row(thing)
    assert row is not None and row.published_at is None
    failed = bus.relay.failed_rounds
    await eventually(lambda: bus.relay.failed_rounds >= failed + 2, timeout=30)  # tried again, twice, and failed
    assert not await bus.published(thing)
    bus.broker.start()
    await eventually(lambda: bus.published(thing), timeout=45)
    assert not relay_task.done() and bus.pub.app.state.relay is bus.relay  # same relay, never restarted
    return thing


async def test_broker_down_state_change_committed_unsent_then_published_when_it_returns(bus):
    async with bus.consumer(catch_up=True) as app:  # as deployed
        await eventually(lambda: app.state.consumer.connected)
        thing = await _change_while_the_broker_is_down(bus)
        # the consumer gets it (Kafka after the reset, or catch-up), exactly once
        await eventually(async_eq(lambda: seen_for(app, thing), 1), timeout=60)


async def test_broker_down_then_back_the_kafka_path_alone_resumes(bus):
    async with bus.consumer(catch_up=False) as app:
        await eventually(lambda: app.state.consumer.connected)
        thing = await _change_while_the_broker_is_down(bus)
        # the consumer notices the reset broker, recreates the topics, and gets the event via Kafka
        await eventually(async_eq(lambda: seen_for(app, thing), 1), timeout=60)


async def test_after_a_broker_restart_the_runner_resumes_via_kafka(bus):
    async with bus.consumer(catch_up=False) as app:  # catch-up OFF: only Kafka can deliver
        await eventually(lambda: app.state.consumer.connected)
        before = [await bus.create(f"ORG-R{i}") for i in range(6)]  # move positions forward
        for t in before:
            await eventually(async_eq(lambda t=t: seen_for(app, t), 1), timeout=30)
        bus.broker.restart()  # empty again: our positions are now beyond the log end
        after = [await bus.create(f"ORG-S{i}") for i in range(2)]
        for t in after:
            await eventually(async_eq(lambda t=t: seen_for(app, t), 1), timeout=60)
        assert [await seen_for(app, t) for t in before] == [1] * len(before)


async def test_catch_up_delivers_what_the_broker_lost_and_replays_take_effect_once(bus):
    # the consumer is down; events are published to Kafka ...
    missed = [await bus.create("ORG-M") for _ in range(3)]
    for t in missed:
        await eventually(lambda t=t: bus.published(t))
    bus.broker.restart()  # ... and lost with the broker
    async with bus.consumer(catch_up=True) as app:
        for t in missed:
            await eventually(async_eq(lambda t=t: seen_for(app, t), 1), timeout=60)
        fresh = await bus.create("ORG-M")  # both paths may deliver this one
        await eventually(async_eq(lambda: seen_for(app, fresh), 1), timeout=30)
        await eventually(lambda: app.state.consumer.cursor("kt"), timeout=30)
        last_seq = (await bus.outbox_row(fresh)).seq
        await eventually(async_eq(lambda: app.state.consumer.cursor("kt"), last_seq), timeout=30)
        # everything the publisher ever emitted took effect exactly once at the consumer
        async with bus.pub.app.state.sessionmaker() as s:
            subjects = (await s.scalars(select(OutboxEvent.subject).where(OutboxEvent.type == "KtThingCreated"))).all()
        counts = await seen_counts(app.state.sessionmaker)
        assert {sub: counts.get(sub) for sub in subjects} == {sub: 1 for sub in subjects}


# -- helpers -------------------------------------------------------------------------------------
async def seen_for(app, thing: str) -> int:
    return (await seen_counts(app.state.sessionmaker)).get(thing, 0)


def async_eq(fn, expected):
    async def check():
        value = await fn()
        assert value == expected, value
        return True

    return check
