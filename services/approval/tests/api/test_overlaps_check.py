"""POST /overlaps:check — duplicate construction (X-10.3) shown while a project is typed, writing nothing."""

from govkit.dev.testing import auth

BDB = auth("bdb", "BDB")
UNIT = auth("unit", "ORG-A")


async def test_a_similar_built_system_is_shown_with_its_score(client, harness):
    await client.post(
        "/registry/systems:bulk",
        headers=BDB,
        json={
            "items": [
                {"id": "SYS-9", "org": "ORG-B", "name": "智慧养老服务平台", "functions": ["养老服务", "补贴发放"]},
                {"id": "SYS-10", "org": "ORG-C", "name": "不动产登记系统"},
            ]
        },
    )
    before = len(await harness.events())
    r = await client.post(
        "/overlaps:check", headers=UNIT, json={"title": "智慧养老服务平台", "functions": ["养老服务"]}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["rule"], body["article"]) == ("X-10.3", "第十条")
    top = body["overlaps"][0]
    assert top["id"] == "SYS-9" and top["kind"] == "registry" and top["score"] >= 0.35
    assert body["result"] == "flag"
    assert all(o["id"] != "SYS-10" for o in body["overlaps"])
    assert len(await harness.events()) == before  # nothing written


async def test_nothing_alike_passes(client):
    body = (await client.post("/overlaps:check", headers=UNIT, json={"title": "水文监测预警系统"})).json()
    assert body["result"] == "pass" and body["overlaps"] == []


async def test_who_may_ask_and_bad_input(client):
    assert (
        await client.post("/overlaps:check", headers=auth("finance", "CZJ"), json={"title": "x"})
    ).status_code == 403
    r = await client.post("/overlaps:check", headers=UNIT, json={"title": ""})
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "title"
