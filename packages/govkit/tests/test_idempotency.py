"""Idempotency-Key: same key and body → the first response again, nothing written twice;
same key with another body → 422."""
from sqlalchemy import func, select

from govkit.kernel_models import IdempotencyRecord
from govkit.testing import auth

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
