"""Project codes (R-13.1, X-13.1): the adapter asks, the signed callback answers."""

import asyncio
import time
import uuid

import httpx
import orjson

from approval.applications import repository as app_repo
from approval.provincial.adapter import ProvincialPlatform
from approval.provincial.service import dispatch_due
from approval.provincial.signing import sign
from govkit.dev.testing import auth

PATH = "/callbacks/provincial/project-code"
CODE = "2026-320900-65-01-000123"


def settings_of(harness):
    return harness.app.state.settings


async def post_callback(
    harness, body: dict | bytes, *, ts: int | None = None, secret: str | None = None, signature: str | None = None
):
    raw = body if isinstance(body, bytes) else orjson.dumps(body)
    stamp = str(ts if ts is not None else int(time.time()))
    sig = signature or sign(secret or settings_of(harness).provincial_callback_secret, stamp, raw)
    return await harness.client.post(
        PATH, content=raw, headers={"X-Timestamp": stamp, "X-Signature": sig, "Content-Type": "application/json"}
    )


async def test_callback_assigns_the_code_once(flow, harness, client):
    pid = await flow.under_review()
    r = await post_callback(harness, {"project_id": pid, "project_code": CODE}, ts=int(time.time()) - 10)
    assert r.status_code == 200 and r.json()["status"] == "assigned", r.text
    app = (await client.get(f"/applications/{pid}", headers=auth("bdb"))).json()
    assert app["project_code"] == CODE and app["project_code_status"] == "assigned"
    [ev] = await harness.events("ProjectCodeAssigned", pid)
    assert ev.data["project_code"] == CODE and ev.rule == "R-13.1"
    # the same signed request again is a replay
    raw = orjson.dumps({"project_id": pid, "project_code": CODE})
    stamp = str(int(time.time()) - 5)  # another signed request than the first one
    sig = sign(settings_of(harness).provincial_callback_secret, stamp, raw)
    headers = {"X-Timestamp": stamp, "X-Signature": sig}
    first = await client.post(PATH, content=raw, headers=headers)
    assert first.status_code == 200 and first.json()["status"] == "already_assigned"
    replay = await client.post(PATH, content=raw, headers=headers)
    assert replay.status_code == 401
    # another code for the same project
    r = await post_callback(harness, {"project_id": pid, "project_code": "2026-320900-65-01-000124"})
    assert r.status_code == 409
    assert len(await harness.events("ProjectCodeAssigned", pid)) == 1


async def test_bad_stale_or_missing_signature_is_401_and_changes_nothing(flow, harness, client):
    pid = await flow.under_review()
    body = {"project_id": pid, "project_code": CODE}
    assert (await post_callback(harness, body, secret="wrong-secret")).status_code == 401
    assert (await post_callback(harness, body, ts=int(time.time()) - 301)).status_code == 401
    assert (await post_callback(harness, body, ts=int(time.time()) + 301)).status_code == 401
    assert (await post_callback(harness, body, ts=int(time.time()) - 290)).status_code == 200
    r = await client.post(PATH, json=body)
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")


async def test_x13_1_code_of_another_shape_is_422(flow, harness, client):
    pid = await flow.under_review()
    for bad in ("2026-310900-65-01-000123", "2026-320900-65-1-000123", "abc"):
        r = await post_callback(harness, {"project_id": pid, "project_code": bad})
        assert r.status_code == 422 and r.json()["rule"] == "X-13.1"
    r = await post_callback(harness, b"not json")
    assert r.status_code == 422
    r = await post_callback(harness, {"project_id": str(uuid.uuid4()), "project_code": CODE})
    assert r.status_code == 404
    assert await harness.events("ProjectCodeAssigned") == []
    app = (await client.get(f"/applications/{pid}", headers=auth("bdb"))).json()
    assert app["project_code"] is None


class FakePlatform:
    """Speaks the platform's HTTP: POST /project-codes → 202 (or fails while `down`)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.down = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            return httpx.Response(503)
        assert request.url.path == "/project-codes"
        self.requests.append(orjson.loads(request.content))
        return httpx.Response(202, json={"request_id": f"REQ-{len(self.requests)}"})


async def test_code_request_is_sent_in_background_and_retried(flow, harness):
    fake = FakePlatform()
    platform = ProvincialPlatform("http://province.test", transport=httpx.MockTransport(fake.handler))
    pid = await flow.under_review()
    fake.down = True
    assert await dispatch_due(harness.sessionmaker, platform) == 0
    async with harness.sessionmaker() as s:
        app = await app_repo.get(s, pid)
        assert app.code_status == "pending" and app.code_attempts == 1 and app.code_next_attempt_at is not None
        app.code_next_attempt_at = None  # due again now
        await s.commit()
    fake.down = False
    assert await dispatch_due(harness.sessionmaker, platform) == 1
    assert fake.requests[0]["project_id"] == pid and fake.requests[0]["estimated_investment"] == "1000000.00"
    async with harness.sessionmaker() as s:
        assert (await app_repo.get(s, pid)).code_status == "requested"
    assert await dispatch_due(harness.sessionmaker, platform) == 0  # not sent twice
    await platform.aclose()


async def test_no_transaction_is_held_while_the_platform_is_called(flow, harness):
    """The claim is committed before the call: meanwhile another session sees the lease and can write."""
    pid = await flow.under_review()
    seen = {}

    class Watching(ProvincialPlatform):
        async def request_code(self, request):
            async def write_meanwhile():  # would wait on the row or SQLite's write lock if one were held
                async with harness.sessionmaker() as s:
                    app = await app_repo.get(s, pid, for_update=True)
                    seen["leased_until"] = app.code_next_attempt_at
                    app.code_last_error = "written by another session during the call"
                    await s.commit()

            await asyncio.wait_for(write_meanwhile(), timeout=5)
            return await super().request_code(request)

    fake = FakePlatform()
    platform = Watching("http://province.test", transport=httpx.MockTransport(fake.handler))
    assert await dispatch_due(harness.sessionmaker, platform) == 1
    assert seen["leased_until"] is not None  # the claim was committed before the call
    async with harness.sessionmaker() as s:
        app = await app_repo.get(s, pid)
        assert app.code_status == "requested" and app.code_last_error is None and app.code_next_attempt_at is None
    await platform.aclose()
