"""The inbox: an event takes effect once however often it is delivered; a handler that raises is
retried, then dead-lettered, and does not block later events."""

import asyncio
import contextlib
import uuid
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from govkit.consumer import MAX_ATTEMPTS, ConsumerRunner
from govkit.dev.testing import ServiceHarness, make_event
from govkit.events import EventData
from govkit.kernel_models import InboxEvent, ParkedEvent

from . import ktapp
from .conftest import drop_database, eventually, kt_settings, new_database
from .ktapp import KtPoison, KtThingChanged, KtThingCreated, consumer_app, seen_counts


@pytest.fixture(scope="module")
async def ktc():
    url = await new_database("inbox")
    app = consumer_app(kt_settings(url))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c,
    ):
        yield ServiceHarness(app, c)
    await drop_database(url)


@pytest.fixture(autouse=True)
async def _clean(ktc):
    await ktc.reset()
    await ktc.app.state.consumer.refresh_parked()
    ktapp.POISON_CALLS.clear()
    ktapp.CHANGES_APPLIED.clear()


def thing_event():
    return make_event(KtThingCreated(project_id=uuid.uuid4(), name="t", amount=Decimal("1"), org="O"))


async def inbox_row(ktc, event_id):
    async with ktc.sessionmaker() as s:
        return await s.get(InboxEvent, event_id)


async def test_same_event_twice_takes_effect_once(ktc):
    ev = thing_event()
    assert await ktc.deliver(ev) is True
    assert await ktc.deliver(ev) is False
    # a copy of it (as decoded again from Kafka or from the event log) too
    assert await ktc.deliver(ev.model_copy(deep=True)) is False
    assert await seen_counts(ktc.sessionmaker) == {ev.subject: 1}
    assert (await inbox_row(ktc, ev.id)).status == "done"


async def test_concurrent_duplicates_take_effect_once(ktc):
    ev = thing_event()
    results = await asyncio.gather(*[ktc.deliver(ev) for _ in range(4)])
    assert sorted(results) == [False, False, False, True]
    assert await seen_counts(ktc.sessionmaker) == {ev.subject: 1}


async def test_poison_is_retried_dead_lettered_and_does_not_block(ktc):
    poison = make_event(KtPoison(project_id=uuid.uuid4()))
    after = thing_event()
    assert await ktc.deliver(poison) is False
    assert [poison.id] * MAX_ATTEMPTS == ktapp.POISON_CALLS
    row = await inbox_row(ktc, poison.id)
    assert row.status == "failed" and "poison event" in row.error
    assert await ktc.deliver(after) is True
    assert await seen_counts(ktc.sessionmaker) == {after.subject: 1}
    # a dead-lettered event delivered again is not retried forever
    assert await ktc.deliver(poison) is False
    assert len(ktapp.POISON_CALLS) == MAX_ATTEMPTS


async def test_failed_handler_leaves_no_partial_effect(ktc, monkeypatch):
    calls = []

    async def half_then_fail(session, data, event):
        await ktapp.on_thing_created(session, data, event)  # writes ...
        calls.append(1)
        if len(calls) < 2:
            raise RuntimeError("transient")  # ... then fails: the write must be rolled back

    monkeypatch.setitem(ktc.app.state.consumer.handlers, "KtThingCreated", half_then_fail)
    ev = thing_event()
    assert await ktc.deliver(ev) is True
    assert len(calls) == 2
    assert await seen_counts(ktc.sessionmaker) == {ev.subject: 1}


async def test_a_fetched_batch_takes_effect_once_in_one_transaction(ktc):
    from govkit.db import DB_TRANSACTIONS

    done_before = thing_event()
    assert await ktc.deliver(done_before) is True
    batch = [thing_event(), done_before, thing_event(), thing_event()]
    commits = DB_TRANSACTIONS.labels("kt", "commit")
    before = commits._value.get()
    assert await ktc.app.state.consumer.handle_many(batch + [batch[0]]) == 3  # a copy in the batch too
    assert commits._value.get() - before == 1  # one transaction for the batch
    assert await seen_counts(ktc.sessionmaker) == {ev.subject: 1 for ev in batch}
    assert all([(await inbox_row(ktc, ev.id)).status == "done" for ev in batch])
    assert await ktc.app.state.consumer.handle_many(batch) == 0  # delivered again: nothing changes
    assert await seen_counts(ktc.sessionmaker) == {ev.subject: 1 for ev in batch}


async def test_a_poison_event_in_a_batch_is_dead_lettered_and_the_others_take_effect(ktc):
    poison = make_event(KtPoison(project_id=uuid.uuid4()))
    good = [thing_event(), thing_event()]
    assert await ktc.app.state.consumer.handle_many([good[0], poison, good[1]]) == 2
    assert await seen_counts(ktc.sessionmaker) == {ev.subject: 1 for ev in good}
    assert (await inbox_row(ktc, poison.id)).status == "failed"
    assert len(ktapp.POISON_CALLS) == 1 + MAX_ATTEMPTS  # once in the batch, then its own retries


def a_life(source: str | None = None):
    """KtThingCreated (seq 1) and two KtThingChanged (seq 2, 3) about one thing, a second apart."""
    from datetime import UTC, datetime, timedelta

    pid, t0 = uuid.uuid4(), datetime.now(UTC)
    created = make_event(KtThingCreated(project_id=pid, name="t", amount=Decimal("1"), org="O"), seq=1, time=t0)
    if source is not None:  # the predecessor comes from another publisher
        created = created.model_copy(update={"source": source})
    changes = [
        make_event(KtThingChanged(project_id=pid, note=n), seq=i + 2, time=t0 + timedelta(seconds=i + 1))
        for i, n in enumerate("ab")
    ]
    return created, changes


async def parked_rows(ktc) -> list[str]:
    async with ktc.sessionmaker() as s:
        return list((await s.scalars(select(ParkedEvent.event_id).order_by(ParkedEvent.seq))).all())


async def test_an_event_before_its_predecessor_is_parked_and_applied_in_order_once_it_arrives(ktc):
    created, (a, b) = a_life(source="/govpm/elsewhere")
    assert await ktc.deliver(a) is False  # its thing is unknown: held, not dead-lettered
    assert await ktc.deliver(b) is False  # held behind a (same publisher, same project)
    assert await parked_rows(ktc) == [a.id, b.id]
    assert await inbox_row(ktc, a.id) is None and await inbox_row(ktc, b.id) is None
    assert ktapp.CHANGES_APPLIED == []
    ready = (await ktc.client.get("/readyz")).json()
    assert ready["parked"] == 2 and ready["oldest_parked_s"] >= 0
    assert 'govpm_consumer_parked{service="ktc"} 2.0' in (await ktc.client.get("/metrics")).text
    assert await ktc.deliver(a) is False  # a redelivery while parked changes nothing
    assert await parked_rows(ktc) == [a.id, b.id]

    assert await ktc.deliver(created) is True  # the predecessor: the parked ones follow, in order
    assert ktapp.CHANGES_APPLIED == ["a", "b"]
    assert await parked_rows(ktc) == []
    assert [(await inbox_row(ktc, ev.id)).status for ev in (created, a, b)] == ["done"] * 3
    assert (await ktc.client.get("/readyz")).json()["parked"] == 0
    assert await ktc.deliver(b) is False  # applied once
    assert ktapp.CHANGES_APPLIED == ["a", "b"]


async def test_a_fetched_batch_out_of_order_is_applied_in_order_and_nothing_is_dead_lettered(ktc):
    created, (a, b) = a_life()  # one publisher, its events fetched out of order
    consumer = ktc.app.state.consumer
    await consumer.handle_many([b, a, created])
    assert ktapp.CHANGES_APPLIED == ["a", "b"]
    assert await parked_rows(ktc) == []
    assert [(await inbox_row(ktc, ev.id)).status for ev in (created, a, b)] == ["done"] * 3
    assert await seen_counts(ktc.sessionmaker) == {created.subject: 1}


async def test_the_sweep_applies_a_parked_event_whose_predecessor_was_applied_elsewhere(ktc):
    created, (a, _) = a_life()
    assert await ktc.deliver(a) is False
    async with ktc.sessionmaker() as s:  # another replica applied the predecessor
        s.add(ktapp.KtSeen(event_id=created.id, thing_id=created.subject))
        await s.commit()
    assert await ktc.app.state.consumer.refresh_parked() == 1
    assert await ktc.app.state.consumer.retry_parked() == 1
    assert ktapp.CHANGES_APPLIED == ["a"] and await parked_rows(ktc) == []
    assert (await inbox_row(ktc, a.id)).status == "done"


async def test_events_it_does_not_handle_are_ignored(ktc):
    from govkit.events.reserve import WindowOpened

    ev = make_event(
        WindowOpened(window_id="w", kind="annual", library_year=2027, opens_on="2026-10-01", closes_on="2026-12-31")
    )
    assert await ktc.deliver(ev) is False
    assert await inbox_row(ktc, ev.id) is None


def test_handlers_for_unknown_types_are_refused():
    with pytest.raises(ValueError):
        ConsumerRunner("ktc", None, None, {"KtPoison": ktapp.on_poison})  # a name, not the class

    class KtPoison(EventData):  # a class of the same name the registry does not hold
        pass

    with pytest.raises(ValueError):
        ConsumerRunner("ktc", None, None, {KtPoison: ktapp.on_poison})


async def test_catch_up_reads_the_publisher_log_from_its_cursor(ktc, kt):
    """Catch-up over HTTP from the publisher's /internal/events (in-process transport here; the
    bus tests use a real socket), redelivery harmless, cursor stored."""
    from govkit.dev.testing import auth

    from .conftest import GOOD_BODY  # noqa: F401 - documented shape

    ids = [
        (await kt.client.post("/things", json=GOOD_BODY, headers=auth("unit", "ORG-C"))).json()["id"] for _ in range(3)
    ]
    runner = ktc.app.state.consumer
    runner.settings = kt_settings("unused", kt_url="http://test")
    transport = httpx.ASGITransport(app=kt.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        assert await runner.catch_up(http) == 3
        assert await runner.cursor("kt") == 3
        assert await runner.catch_up(http) == 0
    assert await seen_counts(ktc.sessionmaker) == {i: 1 for i in ids}
    # a cursor lost (e.g. restored backup): replay from 0 changes nothing
    async with ktc.sessionmaker() as s:
        from govkit.kernel_models import ConsumerCursor

        await s.delete(await s.get(ConsumerCursor, "kt"))
        await s.commit()
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        assert await runner.catch_up(http) == 0
    assert await seen_counts(ktc.sessionmaker) == {i: 1 for i in ids}
    async with ktc.sessionmaker() as s:
        assert len((await s.scalars(select(InboxEvent))).all()) == 3


def test_fetch_pace_slows_down_when_idle_and_speeds_up_on_the_next_event():
    from types import SimpleNamespace

    from govkit.consumer import _FetchPace

    fetcher = SimpleNamespace(_fetch_max_wait_ms=10)
    pace = _FetchPace(
        SimpleNamespace(_fetcher=fetcher), SimpleNamespace(fetch_max_wait_ms=10, idle_fetch_max_wait_ms=200)
    )
    pace.saw(False, 0.0)
    pace.saw(False, 1.9)
    assert fetcher._fetch_max_wait_ms == 10  # not yet two seconds without an event
    pace.saw(False, 2.0)
    assert fetcher._fetch_max_wait_ms == 200 and pace.idle
    pace.saw(True, 2.1)
    assert fetcher._fetch_max_wait_ms == 10 and not pace.idle
    pace.saw(False, 3.0)
    assert fetcher._fetch_max_wait_ms == 10  # one second after the event: still busy
    # An idle wait no longer than the busy one changes nothing.
    fixed = SimpleNamespace(_fetch_max_wait_ms=10)
    still = _FetchPace(
        SimpleNamespace(_fetcher=fixed), SimpleNamespace(fetch_max_wait_ms=10, idle_fetch_max_wait_ms=10)
    )
    still.saw(False, 0.0)
    still.saw(False, 60.0)
    assert fixed._fetch_max_wait_ms == 10


def test_aiokafka_fetcher_still_reads_its_wait_per_request():
    """_FetchPace relies on aiokafka's fetcher keeping the wait in `_fetch_max_wait_ms` and reading
    it for every fetch request; an upgrade that changes this must fail here, not slow down quietly."""
    import inspect

    from aiokafka.consumer.fetcher import Fetcher

    assert "self._fetch_max_wait_ms," in inspect.getsource(Fetcher._get_actions_per_node)


def test_backlog_counts_what_the_broker_holds_beyond_our_offsets():
    from govkit.consumer import backlog

    ends = {"a": 10, "b": 5, "c": None}
    committed = {"a": 7, "b": 5, "c": 3}
    assert backlog(ends.get, committed, ["a", "b", "c"]) == 3  # c: no fetch yet, so unknown, not counted
    assert backlog(ends.get, {"a": 10, "b": 5}, ["a", "b"]) == 0
    assert backlog(ends.get, {"a": 9}, ["a"]) == 1
    assert backlog(ends.get, {}, ["a"]) == 0  # nothing consumed yet: catch-up's job, not counted


async def test_handler_gets_the_typed_payload_and_a_malformed_one_is_dead_lettered(ktc):
    seen = []

    async def typed(session, data, event):
        seen.append(data)

    ktc.app.state.consumer.handlers["KtThingCreated"] = typed
    try:
        ev = thing_event()
        assert await ktc.deliver(ev) is True
        assert type(seen[0]) is KtThingCreated and seen[0].amount == Decimal("1")
        bad = ev.model_copy(update={"id": str(uuid.uuid4()), "data": {"project_id": ev.subject}})  # no name
        assert await ktc.deliver(bad) is False
        assert len(seen) == 1
        row = await inbox_row(ktc, bad.id)
        assert row.status == "failed" and "KtThingCreated" in row.error
    finally:
        ktc.app.state.consumer.handlers["KtThingCreated"] = ktapp.on_thing_created


async def test_the_catch_up_loop_outlives_a_stray_cancellation(ktc, monkeypatch):
    """A cancellation that is not the loop's own (a client library's escaping) is a failed pass, not
    the end of the safety net (AGENTS.md: never the end of a loop)."""
    consumer = ktc.app.state.consumer
    calls = []

    async def catch_up(client=None):
        calls.append(1)
        if len(calls) == 1:
            raise asyncio.CancelledError  # not ours: nobody cancelled the task
        return 0

    monkeypatch.setattr(consumer, "catch_up", catch_up)
    task = asyncio.create_task(consumer.run_catch_up_loop())
    try:
        await eventually(lambda: len(calls) >= 3)
        assert not task.done()
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert task.cancelled()  # its own cancellation still ends it
