"""Webhooks: subscriptions, signed delivery, retries with backoff, dead letter, redelivery, restart."""

import uuid
from datetime import UTC, datetime

import orjson
from sqlalchemy import select
from tests.e2e.fakes.portals import FakeReceiver, valid_signature

from gateway.models import Delivery
from gateway.webhooks.signing import sign
from govkit.dev.testing import auth
from govkit.dev.testing import eventually as until
from govkit.events import CloudEvent

SUBS = "/api/v1/webhooks/subscriptions"
SECRET = "a-very-secret-webhook-key"


def event(type_="ProjectApproved", **data):
    pid = str(uuid.uuid4())
    return CloudEvent(
        source="/govpm/approval",
        type=type_,
        time=datetime.now(UTC),
        subject=pid,
        data={"project_id": pid, **data},
    )


async def subscribe(gw, url, types=("ProjectApproved",), role="bdb", org="ORG-BDB"):
    r = await gw.post(SUBS, json={"url": url, "event_types": list(types), "secret": SECRET}, headers=auth(role, org))
    assert r.status_code == 201, r.text
    assert "secret" not in r.json()
    return r.json()


def test_signature_format():
    assert (
        sign("k", "1700000000", b"{}")
        == "sha256=" + __import__("hmac").new(b"k", b"1700000000.{}", "sha256").hexdigest()
    )


async def test_fails_twice_then_succeeds_receives_exactly_once_more(gw):
    with FakeReceiver(fail_first=2) as receiver:
        sub = await subscribe(gw, receiver.url + "/hook")
        ev = event()
        assert await gw.app.state.consumer.handle(ev)
        await until(lambda: len(receiver.deliveries()) >= 3)

        async def delivered():
            items = (await gw.get(f"{SUBS}/{sub['id']}/deliveries", headers=auth("bdb", "ORG-BDB"))).json()["items"]
            return items and items[0]["status"] == "delivered"

        await until(delivered)  # delivered: no attempt after this one
        got = receiver.deliveries()
        assert len(got) == 3
        assert all(valid_signature(SECRET, r) for r in got)
        assert orjson.loads(got[-1]["body"])["id"] == ev.id
        assert got[-1]["headers"]["x-event-id"] == ev.id
        hist = (await gw.get(f"{SUBS}/{sub['id']}/deliveries", headers=auth("bdb", "ORG-BDB"))).json()["items"]
        assert len(hist) == 1 and hist[0]["status"] == "delivered" and hist[0]["attempts"] == 3
        assert [a["status_code"] for a in hist[0]["history"]] == [503, 503, 200]
        # a redelivered event (Kafka + catch-up) changes nothing
        assert not await gw.app.state.consumer.handle(ev)


async def test_dead_letter_then_redeliver(gw):
    with FakeReceiver(fail_first=100) as receiver:
        sub = await subscribe(gw, receiver.url, types=["*"])
        await gw.app.state.consumer.handle(event("ProjectCodeAssigned", project_code="x"))
        headers = auth("bdb", "ORG-BDB")

        async def dead():
            items = (await gw.get(f"{SUBS}/{sub['id']}/deliveries", headers=headers)).json()["items"]
            return items if items and items[0]["status"] == "dead" else None

        items = await until(dead)
        assert items[0]["attempts"] == gw.app.state.settings.webhook_max_attempts
        receiver.fail_next = 0
        r = await gw.post(f"/api/v1/webhooks/deliveries/{items[0]['id']}/redeliver", headers=headers)
        assert r.status_code == 202 and r.json()["redelivery_of"] == items[0]["id"]

        async def delivered():
            d = (await gw.get(f"/api/v1/webhooks/deliveries/{r.json()['id']}", headers=headers)).json()
            return d["status"] == "delivered"

        await until(delivered)


async def test_subscription_visibility_and_validation(gw):
    with FakeReceiver() as receiver:
        sub = await subscribe(gw, receiver.url, org="ORG-BDB-1")
        other = auth("bdb", "ORG-BDB-2")
        assert (await gw.get(f"{SUBS}/{sub['id']}", headers=other)).status_code == 404
        assert (await gw.get(f"{SUBS}/{sub['id']}", headers=auth("admin", "ORG-ADM"))).status_code == 200
        for body in (
            {"url": "ftp://x", "event_types": ["ProjectApproved"], "secret": SECRET},
            {"url": receiver.url, "event_types": ["NoSuchEvent"], "secret": SECRET},
            {"url": receiver.url, "event_types": ["ProjectApproved"], "secret": "short"},
        ):
            r = await gw.post(SUBS, json=body, headers=auth("bdb", "ORG-BDB"))
            assert r.status_code == 422, r.text
        assert (await gw.delete(f"{SUBS}/{sub['id']}", headers=auth("bdb", "ORG-BDB-1"))).status_code == 204
        assert (await gw.get(f"{SUBS}/{sub['id']}", headers=auth("bdb", "ORG-BDB-1"))).status_code == 404


async def test_pending_deliveries_survive_a_restart(make_gateway):
    """Queued while the receiver is down and the gateway stops; a new gateway process delivers."""
    from govkit.dev.testing import fresh_database_url

    url = await fresh_database_url(f"govpm_test_gateway_restart_{uuid.uuid4().hex[:6]}")
    with FakeReceiver(fail_first=1) as receiver:
        async with make_gateway(database_url=url, webhook_backoff_s=30, webhook_poll_s=0.05) as gw1:
            await subscribe(gw1, receiver.url)
            ev = event()
            await gw1.app.state.consumer.handle(ev)
            await until(lambda: len(receiver.deliveries()) == 1)  # failed once; next try in 30 s
        async with gw1.app.state.sessionmaker() as s:  # engine disposed; sessionmaker reconnects
            pending = (await s.scalars(select(Delivery))).all()
        assert [d.status for d in pending] == ["pending"]
        async with make_gateway(database_url=url, webhook_backoff_s=0.05, webhook_poll_s=0.05) as gw2:
            from sqlalchemy import update

            async with gw2.app.state.sessionmaker() as s:  # make it due now (the 30 s backoff)
                await s.execute(update(Delivery).values(next_attempt_at=datetime.now(UTC)))
                await s.commit()
            gw2.app.state.dispatcher.wake()
            await until(lambda: len(receiver.deliveries()) == 2)
            assert valid_signature(SECRET, receiver.deliveries()[-1])
