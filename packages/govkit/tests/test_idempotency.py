"""Idempotency-Key: same key and body → the first response again, nothing written twice;
same key with another body → 422."""

from datetime import timedelta

from sqlalchemy import func, select

from govkit.db import utcnow
from govkit.dev.testing import auth
from govkit.kernel_models import IdempotencyRecord

from .ktapp import KtThing

BODY = {"name": "n", "amount": "5.00", "kind": "a"}


async def counts(kt):
    async with kt.sessionmaker() as s:
        things = await s.scalar(select(func.count()).select_from(KtThing))
    return things, len(await kt.events("KtThingCreated"))


async def test_same_key_same_body_replays_first_response(client, kt):
    h = {**auth("unit", "ORG-I"), "Idempotency-Key": "k-1"}
    first = await client.post("/things", json=BODY, headers=h)
    assert first.status_code == 201
    again = await client.post("/things", json=BODY, headers=h)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert await counts(kt) == (1, 1)


async def test_same_key_other_body_is_422(client, kt):
    h = {**auth("unit", "ORG-I"), "Idempotency-Key": "k-2"}
    assert (await client.post("/things", json=BODY, headers=h)).status_code == 201
    other = await client.post("/things", json={**BODY, "amount": "6.00"}, headers=h)
    assert other.status_code == 422
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["violations"][0]["field"] == "Idempotency-Key"
    assert await counts(kt) == (1, 1)


async def test_other_key_or_no_key_is_a_new_request(client, kt):
    u = auth("unit", "ORG-I")
    await client.post("/things", json=BODY, headers={**u, "Idempotency-Key": "k-3"})
    await client.post("/things", json=BODY, headers={**u, "Idempotency-Key": "k-4"})
    await client.post("/things", json=BODY, headers=u)
    await client.post("/things", json=BODY, headers=u)
    assert await counts(kt) == (4, 4)


async def test_keys_are_per_principal(client, kt):
    await client.post("/things", json=BODY, headers={**auth("unit", "ORG-A", sub="a"), "Idempotency-Key": "same"})
    r = await client.post("/things", json=BODY, headers={**auth("unit", "ORG-B", sub="b"), "Idempotency-Key": "same"})
    assert r.status_code == 201 and r.json()["org"] == "ORG-B"
    assert await counts(kt) == (2, 2)


async def test_refusals_are_replayed_too_and_still_write_nothing(client, kt):
    h = {**auth("unit"), "Idempotency-Key": "k-5"}
    first = await client.post("/things/abc/refuse", headers=h)
    again = await client.post("/things/abc/refuse", headers=h)
    assert first.status_code == again.status_code == 409 and first.json() == again.json()
    assert again.headers["content-type"].startswith("application/problem+json")
    assert await counts(kt) == (0, 0)


async def test_a_server_error_is_not_remembered(client, kt):
    h = {**auth("unit"), "Idempotency-Key": "k-6"}
    assert (await client.post("/crash", headers=h)).status_code == 500
    async with kt.sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    assert (await client.post("/crash", headers=h)).status_code == 500  # tried again, not replayed


# -- issue 15: the store is scoped by a verified principal; the answer is stored before it leaves --
async def test_a_forged_token_never_reaches_the_victims_stored_answer(client, kt):
    """A token signed with another secret carrying the victim's sub, the same key and body: 401,
    never the victim's stored 201 (nor a 422 revealing that the key exists)."""
    from govkit.auth import mint_token

    victim = {**auth("unit", "ORG-V", sub="victim"), "Idempotency-Key": "k-forge"}
    first = await client.post("/things", json=BODY, headers=victim)
    assert first.status_code == 201
    forged = mint_token("another-secret-of-the-attacker-0123456789", sub="victim", org="ORG-V", roles=["unit"])
    for body in (BODY, {**BODY, "amount": "7.00"}):
        r = await client.post(
            "/things", json=body, headers={"Authorization": f"Bearer {forged}", "Idempotency-Key": "k-forge"}
        )
        assert r.status_code == 401, r.text
        assert "idempotent-replayed" not in r.headers
    async with kt.sessionmaker() as s:
        scopes = (await s.scalars(select(IdempotencyRecord.scope))).all()
    assert scopes == ["sub:victim"]


async def test_no_token_does_not_share_an_anonymous_store(client, kt):
    h = {"Idempotency-Key": "k-anon"}
    assert (await client.post("/things", json=BODY, headers=h)).status_code == 401
    async with kt.sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0


async def test_a_retry_sent_on_receipt_of_the_last_byte_replays(kt):
    """The middleware stores the answer before its last byte leaves: a client retrying the moment
    it has the whole response gets the replay, never 409 'still in progress'."""
    import json

    app = kt.app
    h = {**auth("unit", "ORG-R", sub="retrier"), "Idempotency-Key": "k-race"}
    raw = json.dumps(BODY).encode()

    def scope_for():
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/things",
            "raw_path": b"/things",
            "query_string": b"",
            "root_path": "",
            "server": ("test", 80),
            "client": ("127.0.0.1", 1),
            "app": app,
            "headers": [
                (b"content-type", b"application/json"),
                *[(k.lower().encode(), v.encode()) for k, v in h.items()],
            ],
        }

    async def call(on_last=None):
        sent = False
        out = {"status": None, "headers": [], "body": b""}

        async def receive():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.start":
                out["status"], out["headers"] = message["status"], message.get("headers", [])
            elif message["type"] == "http.response.body":
                out["body"] += message.get("body", b"")
                if not message.get("more_body") and on_last is not None:
                    retries.append(await on_last())

        await app(scope_for(), receive, send)
        return out

    retries: list[dict] = []
    first = await call(on_last=call)  # the retry leaves as soon as the last byte arrived
    assert first["status"] == 201
    assert retries and retries[0]["status"] == 201, retries
    assert (b"idempotent-replayed", b"true") in retries[0]["headers"]
    assert retries[0]["body"] == first["body"]
    assert await counts(kt) == (1, 1)


async def _in_progress_since(kt, key: str, seconds: float) -> None:
    """A request with `key` that a crash cut off `seconds` ago: its record never got an answer."""
    async with kt.sessionmaker() as s:
        record = (await s.scalars(select(IdempotencyRecord).where(IdempotencyRecord.key == key))).one()
        record.status_code, record.body = None, None
        record.created_at = utcnow() - timedelta(seconds=seconds)
        await s.commit()


async def test_a_key_left_in_progress_by_a_crash_is_taken_over_after_the_lease(client, kt):
    h = {**auth("unit", "ORG-L"), "Idempotency-Key": "k-crash"}
    assert (await client.post("/things", json={**BODY, "name": "first"}, headers=h)).status_code == 201
    await _in_progress_since(kt, "k-crash", 59)
    still = await client.post("/things", json={**BODY, "name": "first"}, headers=h)
    assert still.status_code == 409  # within the lease: it may still be running
    await _in_progress_since(kt, "k-crash", 61)
    other = await client.post("/things", json={**BODY, "name": "other"}, headers=h)
    assert other.status_code == 422  # another body never takes a key over
    retried = await client.post("/things", json={**BODY, "name": "first"}, headers=h)
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers
    replay = await client.post("/things", json={**BODY, "name": "first"}, headers=h)
    assert replay.headers.get("idempotent-replayed") == "true" and replay.json() == retried.json()


async def test_a_store_that_is_down_is_a_503_and_nothing_runs(kt, monkeypatch):
    import httpx
    from sqlalchemy.exc import DBAPIError

    from govkit import middleware

    async def down(*args, **kwargs):
        raise DBAPIError("connect", {}, Exception("the database system is starting up"))

    monkeypatch.setattr(middleware.IdempotencyMiddleware, "_claim", down)
    before = await counts(kt)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=kt.app), base_url="http://t") as c:
        r = await c.post("/things", json=BODY, headers={**auth("unit", "ORG-D"), "Idempotency-Key": "k-down"})
    assert r.status_code == 503 and r.headers["retry-after"] == "1"
    assert r.headers["content-type"] == "application/problem+json" and r.json()["status"] == 503
    assert await counts(kt) == before


# -- issue 18: the answer is committed in the same transaction as the change it reports -----------
async def test_a_crash_right_after_the_commit_leaves_the_answer_for_the_retry(client, kt, monkeypatch):
    """The fault hook fires right after the request's commit, before a byte is sent — where the answer
    used to be stored in a transaction of its own: the retry replays the answer, the thing exists once."""
    from govkit import middleware

    def crash() -> None:
        raise RuntimeError("process died here")

    h = {**auth("unit", "ORG-C", sub="crashed"), "Idempotency-Key": "k-commit-crash"}
    monkeypatch.setattr(middleware, "crash_after_commit", crash)
    cut = await client.post("/things", json=BODY, headers=h)
    assert cut.status_code == 500  # the client never got the 201
    monkeypatch.setattr(middleware, "crash_after_commit", None)
    assert await counts(kt) == (1, 1)
    retry = await client.post("/things", json=BODY, headers=h)
    assert retry.status_code == 201 and retry.headers.get("idempotent-replayed") == "true"
    async with kt.sessionmaker() as s:
        (thing_id,) = (await s.scalars(select(KtThing.id))).all()
    assert retry.json()["id"] == thing_id
    assert await counts(kt) == (1, 1)


async def test_a_failed_commit_answers_like_the_endpoint_would_and_forgets_the_key(client, kt, monkeypatch):
    """The request's commit (now the middleware's) fails on a database that went away: 503 problem, nothing
    written, the key forgotten — the retry runs the request and creates the thing once."""
    from sqlalchemy.exc import DBAPIError

    from govkit import db

    real = db.DeferredCommit.commit

    async def down(self) -> None:
        raise DBAPIError("COMMIT", {}, ConnectionError("connection was closed in the middle of operation"))

    h = {**auth("unit", "ORG-F", sub="failed"), "Idempotency-Key": "k-commit-fails"}
    monkeypatch.setattr(db.DeferredCommit, "commit", down)
    failed = await client.post("/things", json=BODY, headers=h)
    assert failed.status_code == 503 and failed.headers["content-type"].startswith("application/problem+json")
    assert await counts(kt) == (0, 0)
    monkeypatch.setattr(db.DeferredCommit, "commit", real)
    retry = await client.post("/things", json=BODY, headers=h)
    assert retry.status_code == 201 and "idempotent-replayed" not in retry.headers
    assert await counts(kt) == (1, 1)


def test_kill_9_right_after_the_commit_then_the_retry_replays(tmp_path):
    """A real process killed (SIGKILL, by the fault trigger in GOVPM_FAULT_DIR) right after the request's change
    and its answer committed: the connection is cut, and the retry to the restarted process replays the
    201 — the step ran once (before, a retry ran it again: a second thing, or 409 'already done')."""
    import asyncio
    import os
    import subprocess
    import sys
    from pathlib import Path

    import httpx

    from govkit.dev.stack import free_port, wait_port

    from .conftest import drop_database, new_database

    url = asyncio.run(new_database("kill"))
    here = Path(__file__).resolve().parent.parent  # packages/govkit: `tests` is importable from here
    port = free_port()

    def serve(**env) -> subprocess.Popen:
        log = open(tmp_path / "kt.log", "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.ktserve", url, str(port)],
            cwd=here,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_port(port, timeout=60)
        return proc

    h = {**auth("unit", "ORG-K", sub="killed"), "Idempotency-Key": "k-kill-9"}
    (tmp_path / "kill-after-commit.kt").touch()
    proc = serve(GOVPM_FAULT_DIR=str(tmp_path))
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            try:
                cut = c.post("/things", json=BODY, headers=h)
            except httpx.TransportError:
                cut = None
            assert cut is None, cut.text
            assert proc.wait(timeout=30) == -9
            assert not (tmp_path / "kill-after-commit.kt").exists()  # one kill per trigger
            proc = serve()
            retry = c.post("/things", json=BODY, headers=h)
            assert retry.status_code == 201, retry.text
            assert retry.headers.get("idempotent-replayed") == "true"
            listed = c.get("/things", headers=auth("unit", "ORG-K", sub="killed")).json()["items"]
        assert [t["id"] for t in listed] == [retry.json()["id"]]
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)
        asyncio.run(drop_database(url))
