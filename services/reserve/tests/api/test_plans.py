"""The overall plan (R-4.1) through the API: bdb drafts versions, the leading group approves one,
a declaration names an item of the approved plan, lists filter by it."""

from govkit.dev.testing import auth

from ..support import BDB, declaration

LG = auth("leading_group", "ORG-LG")
UA, UB = auth("unit", "ORG-A"), auth("unit", "ORG-B")


def plan(**kw) -> dict:
    body = {
        "title": "盐城市“十五五”电子政务总体规划",
        "period_from": 2026,
        "period_to": 2030,
        "items": [{"code": "P-01", "title": "一网通办"}, {"code": "P-02", "title": "城市运行一网统管"}],
        "document": {"name": "总体规划.pdf", "sha256": "a" * 64},
    }
    body.update(kw)
    return body


async def _approved(client, **kw) -> dict:
    v = (await client.post("/plans", json=plan(**kw), headers=BDB)).json()
    r = await client.post(f"/plans/{v['id']}/decision", json={"decision": "approve", "opinion": "审定通过"}, headers=LG)
    assert r.status_code == 200, r.text
    return r.json()


async def test_r4_1_bdb_drafts_the_leading_group_approves(client, harness):
    assert (await client.get("/plans/current", headers=UA)).status_code == 404
    for who in (UA, LG):
        assert (await client.post("/plans", json=plan(), headers=who)).status_code == 403
    r = await client.post("/plans", json=plan(), headers=BDB)
    assert r.status_code == 201, r.text
    v1 = r.json()
    assert (v1["version_no"], v1["status"], v1["rule"]) == (1, "draft", "R-4.1")
    assert (await client.get("/plans/current", headers=UA)).status_code == 404  # a draft is not in force
    for who in (BDB, UA):
        r = await client.post(f"/plans/{v1['id']}/decision", json={"decision": "approve", "opinion": "x"}, headers=who)
        assert r.status_code == 403 and r.json()["rule"] == "R-4.1"
    r = await client.post(
        f"/plans/{v1['id']}/decision", json={"decision": "approve", "opinion": "审定通过"}, headers=LG
    )
    assert (
        r.status_code == 200 and r.json()["status"] == "approved" and r.json()["decided_by"] == "leading_group-ORG-LG"
    )
    assert (await client.get("/plans/current", headers=UA)).json()["id"] == v1["id"]
    again = await client.post(f"/plans/{v1['id']}/decision", json={"decision": "reject", "opinion": "x"}, headers=LG)
    assert again.status_code == 409 and again.json()["rule"] == "R-4.1"  # never changed once decided
    # a new version supersedes it only when approved
    v2 = (
        await client.post(
            "/plans",
            json=plan(items=[{"code": "P-01", "title": "一网通办"}, {"code": "P-03", "title": "数字机关"}]),
            headers=BDB,
        )
    ).json()
    assert v2["version_no"] == 2 and (await client.get("/plans/current", headers=UA)).json()["id"] == v1["id"]
    await client.post(f"/plans/{v2['id']}/decision", json={"decision": "approve", "opinion": "修订通过"}, headers=LG)
    assert (await client.get("/plans/current", headers=UA)).json()["version_no"] == 2
    assert (await client.get(f"/plans/{v1['id']}", headers=UA)).json()["status"] == "superseded"
    assert [v["status"] for v in (await client.get("/plans", headers=UA)).json()["items"]] == ["superseded", "approved"]
    decided = await harness.events("PlanVersionDecided")
    assert [e.data["superseded_plan_id"] for e in decided] == [None, v1["id"]] and decided[0].rule == "R-4.1"
    assert len(await harness.events("PlanVersionDrafted")) == 2


async def test_r4_1_a_rejected_draft_is_not_in_force(client):
    v = (await client.post("/plans", json=plan(), headers=BDB)).json()
    r = await client.post(f"/plans/{v['id']}/decision", json={"decision": "reject", "opinion": "再完善"}, headers=LG)
    assert r.json()["status"] == "rejected"
    assert (await client.get("/plans/current", headers=UA)).status_code == 404


async def test_r4_1_bad_plans_are_422(client, harness):
    dup = plan(items=[{"code": "P-01", "title": "a"}, {"code": "P-01", "title": "b"}])
    r = await client.post("/plans", json=dup, headers=BDB)
    assert r.status_code == 422 and r.json()["rule"] == "R-4.1" and r.json()["violations"][0]["field"] == "items"
    r = await client.post("/plans", json=plan(period_from=2030, period_to=2026), headers=BDB)
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "period_to"
    assert (await client.post("/plans", json=plan(items=[]), headers=BDB)).status_code == 422
    assert await harness.events() == []
    assert (await client.get("/plans/not-a-uuid", headers=UA)).status_code == 404


async def test_r4_1_a_declaration_names_an_item_of_the_approved_plan_and_lists_filter_by_it(
    client, harness, open_supplement
):
    r = await client.post("/declarations", json=declaration(plan_item="P-01"), headers=UA)
    assert r.status_code == 422 and r.json()["rule"] == "R-4.1"  # no approved plan yet
    draft = (await client.post("/plans", json=plan(), headers=BDB)).json()
    r = await client.post("/declarations", json=declaration(plan_item="P-01"), headers=UA)
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "plan_item"  # a draft does not count
    await client.post(f"/plans/{draft['id']}/decision", json={"decision": "approve", "opinion": "通过"}, headers=LG)
    r = await client.post("/declarations", json=declaration(plan_item="P-09"), headers=UA)
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "plan_item"
    assert await harness.events("ProjectDeclared") == []
    a = await client.post("/declarations", json=declaration(plan_item="P-01"), headers=UA)
    assert a.status_code == 201, a.text
    assert (a.json()["plan_item"], a.json()["plan_version_id"]) == ("P-01", draft["id"])
    b = (
        await client.post("/declarations", json=declaration(title="城市运行管理平台", plan_item="P-02"), headers=UB)
    ).json()
    none = (await client.post("/declarations", json=declaration(title="不动产登记系统"), headers=UB)).json()
    assert none["plan_item"] is None
    [ev] = [e for e in await harness.events("ProjectDeclared") if e.subject == a.json()["project_id"]]
    assert ev.data["plan_item"] == "P-01"
    listed = (await client.get("/declarations", params={"plan_item": "P-02"}, headers=BDB)).json()["items"]
    assert [d["project_id"] for d in listed] == [b["project_id"]]
    assert len((await client.get("/declarations", headers=BDB)).json()["items"]) == 3
    assert (await client.get("/declarations", params={"plan_item": "P-02"}, headers=UA)).json()["items"] == []


async def test_r4_1_the_library_filters_by_plan_item(client, at):
    from datetime import date

    at(date(2026, 11, 2))
    await client.post(
        "/windows",
        json={"kind": "annual", "library_year": 2027, "opens_on": "2026-10-01", "closes_on": "2026-11-30"},
        headers=BDB,
    )
    await _approved(client)
    a = (await client.post("/declarations", json=declaration(plan_item="P-01"), headers=UA)).json()
    await client.post("/declarations", json=declaration(title="不动产登记系统"), headers=UB)
    assert (await client.post("/libraries/2027/compile", headers=BDB)).json()["project_count"] == 2
    lib = (await client.get("/libraries/2027", params={"plan_item": "P-01"}, headers=BDB)).json()
    assert [(i["project_id"], i["plan_item"]) for i in lib["items"]] == [(a["project_id"], "P-01")]
    assert (await client.get("/libraries/2027", params={"plan_item": "P-02"}, headers=BDB)).json()["items"] == []
