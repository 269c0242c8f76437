"""emit writes the event in the business transaction; the outbox is a hash chain (audit log)."""

import asyncio
import os
import subprocess
import sys
import uuid
from decimal import Decimal

import orjson
import pytest
from sqlalchemy import select, update

from govkit.db import unit_of_work
from govkit.dev.testing import TEST_PG, TEST_SECRET, auth, token
from govkit.kernel_models import OutboxEvent
from govkit.outbox import GENESIS, Relay, emit, verify_chain

from .ktapp import KtThingCreated

BODY = {"name": "n", "amount": "5.00", "kind": "a"}


async def chain(kt):
    async with kt.sessionmaker() as s:
        return await verify_chain(s)


async def create(client, n, org="ORG-O"):
    return [
        (await client.post("/things", json={**BODY, "name": f"n{i}"}, headers=auth("unit", org))).json()
        for i in range(n)
    ]


def audit_verify(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govkit.cli", "audit-verify", "--service", "kt", "--database-url", url],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


async def test_event_row_carries_the_facts(client, kt):
    (thing,) = await create(client, 1)
    (ev,) = await kt.events("KtThingCreated")
    assert ev.subject == thing["id"] and ev.source == "/govpm/kt" and ev.seq == 1
    assert ev.data == {"project_id": thing["id"], "name": "n0", "amount": "5.00", "org": "ORG-O"}
    assert ev.actor == "unit-ORG-O" and ev.actororg == "ORG-O" and ev.rule == "R-9.3"
    assert ev.requestid and ev.traceparent
    async with kt.sessionmaker() as s:
        row = await s.scalar(select(OutboxEvent))
        assert row.prev_hash == GENESIS and row.published_at is None


async def test_chain_intact_then_an_edited_row_is_reported(client, kt, kt_url):
    await create(client, 4)
    assert await chain(kt) == []
    ok = await asyncio.to_thread(audit_verify, kt_url)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "intact" in ok.stdout
    async with kt.sessionmaker() as s:
        row = await s.scalar(select(OutboxEvent).where(OutboxEvent.seq == 3))
        await s.execute(
            update(OutboxEvent).where(OutboxEvent.seq == 3).values(data={**row.data, "amount": "9999999.00"})
        )
        await s.commit()
    broken = await chain(kt)
    assert [b["seq"] for b in broken] == [3]
    bad = await asyncio.to_thread(audit_verify, kt_url)
    assert bad.returncode == 1
    assert "BROKEN seq=3" in bad.stdout


async def test_a_deleted_row_breaks_the_next_link(client, kt):
    await create(client, 3)
    async with kt.sessionmaker() as s:
        await s.delete(await s.get(OutboxEvent, 2))
        await s.commit()
    assert [b["seq"] for b in await chain(kt)] == [3]


async def test_edited_actor_is_reported(client, kt):
    await create(client, 2)
    async with kt.sessionmaker() as s:
        await s.execute(update(OutboxEvent).where(OutboxEvent.seq == 1).values(actor="someone-else"))
        await s.commit()
    assert [b["seq"] for b in await chain(kt)] == [1]


async def test_marking_rows_published_keeps_the_chain(client, kt):
    await create(client, 2)
    async with kt.sessionmaker() as s:
        await s.execute(update(OutboxEvent).values(published_at=OutboxEvent.time, attempts=3, last_error="x"))
        await s.commit()
    assert await chain(kt) == []


async def test_concurrent_writers_do_not_fork_the_chain(client, kt):
    await asyncio.gather(*[client.post("/things", json=BODY, headers=auth("unit", f"ORG-{i}")) for i in range(12)])
    assert len(await kt.events("KtThingCreated")) == 12
    assert await chain(kt) == []


async def _emit_one(session, name):
    return await emit(
        session, KtThingCreated(project_id=uuid.uuid4(), name=name, amount=Decimal("1"), org="O"), actor="test"
    )


async def test_several_events_in_one_transaction_and_a_session_reused_after_commit(kt):
    sm = kt.sessionmaker
    async with sm() as a:
        await _emit_one(a, "a1")
        await _emit_one(a, "a2")
        await a.commit()
        async with sm() as b:  # another writer in between
            await _emit_one(b, "b1")
            await b.commit()
        await _emit_one(a, "a3")  # same session, new transaction: must chain to b1, not to a2
        await a.commit()
    assert await chain(kt) == []


async def test_a_rolled_back_emit_does_not_poison_the_next_one(kt):
    sm = kt.sessionmaker
    async with sm() as a:
        await _emit_one(a, "x1")
        await a.commit()
        await _emit_one(a, "gone")
        await a.rollback()
        await _emit_one(a, "x2")
        await a.commit()
    assert len(await kt.events()) == 2
    assert await chain(kt) == []


async def test_only_the_publisher_may_emit(kt):
    async with kt.sessionmaker() as s:
        unit_of_work(s).service = "approval"
        with pytest.raises(ValueError):
            await _emit_one(s, "x")
        await s.rollback()
    assert await kt.events() == []


async def test_internal_events_is_the_ordered_log_and_needs_a_service_credential(client, kt):
    things = await create(client, 3)
    from govkit.auth import service_token

    h = {"Authorization": f"Bearer {service_token(TEST_SECRET, 'ktc')}"}
    body = (await client.get("/internal/events", params={"after": 0, "limit": 2}, headers=h)).json()
    assert [i["seq"] for i in body["items"]] == [1, 2] and body["next_after"] == 2
    assert body["items"][0]["specversion"] == "1.0" and body["items"][0]["type"] == "KtThingCreated"
    rest = (await client.get("/internal/events", params={"after": 2}, headers=h)).json()
    assert [i["subject"] for i in rest["items"]] == [things[2]["id"]]
    one = (await client.get("/internal/events", params={"subject": things[1]["id"]}, headers=h)).json()
    assert [i["seq"] for i in one["items"]] == [2]
    assert (await client.get("/internal/events")).status_code == 401
    assert (
        await client.get("/internal/events", headers={"Authorization": f"Bearer {token('bdb')}"})
    ).status_code == 403


def test_audit_verify_of_a_database_that_does_not_exist_says_so_and_creates_nothing(tmp_path):
    missing = tmp_path / "reserve.db"
    out = audit_verify(f"sqlite+aiosqlite:///{missing}")
    assert out.returncode == 2 and "no database" in out.stderr and "Traceback" not in out.stderr
    assert not missing.exists()
    empty = tmp_path / "other.db"
    empty.write_bytes(b"")  # a file that is not a GovPM database
    out = audit_verify(f"sqlite+aiosqlite:///{empty}")
    assert out.returncode == 2 and "cannot read the audit log" in out.stderr and "Traceback" not in out.stderr


class HeldProducer:
    """A producer whose sends wait until released: a relay mid-batch, as seen by another replica."""

    def __init__(self):
        self.sent: list[int] = []
        self.release = asyncio.Event()
        self.sending = asyncio.Event()

    async def send(self, topic, key, value, headers):
        self.sending.set()
        await self.release.wait()
        self.sent.append(orjson.loads(value)["seq"])
        fut = asyncio.get_running_loop().create_future()
        fut.set_result(None)
        return fut


@pytest.mark.skipif(not TEST_PG, reason="replicas share a PostgreSQL database; SQLite has one writer")
async def test_two_relay_replicas_never_publish_at_once(client, kt):
    """While one replica publishes rows 1–3, another publishes nothing (it would send row 4 ahead of them)."""
    await create(client, 3)
    leader = Relay("kt", kt.sessionmaker, kt.app.state.settings)
    standby = Relay("kt", kt.sessionmaker, kt.app.state.settings)
    leader._producer, standby._producer = HeldProducer(), HeldProducer()
    standby._producer.release.set()
    batch = asyncio.create_task(leader.publish_batch())
    await asyncio.wait_for(leader._producer.sending.wait(), timeout=10)
    await create(client, 1)
    assert await standby.publish_batch() == 0 and standby._producer.sent == []
    leader._producer.release.set()
    assert await batch == 3 and leader._producer.sent == [1, 2, 3]
    assert await standby.publish_batch() == 1 and standby._producer.sent == [4]
