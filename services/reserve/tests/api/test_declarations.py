"""Declarations through the API: routes in, scope (R-2.1/R-2.2), numbering, visibility, withdraw."""

import asyncio
from datetime import date

from govkit import clock
from govkit.dev.testing import TEST_PG, auth

from ..support import BDB, declaration, supplement_around

UA, UB, UC = auth("unit", "ORG-A"), auth("unit", "ORG-B"), auth("unit", "ORG-C")


async def test_declare_inside_open_window(client, harness, open_supplement):
    r = await client.post(
        "/declarations",
        json=declaration(cross_department={"lead_org": "ORG-A", "participant_orgs": ["ORG-B"]}),
        headers=UA,
    )
    assert r.status_code == 201, r.text
    d = r.json()
    year = clock.today().year
    assert (d["status"], d["route"], d["library_year"], d["window_id"]) == (
        "submitted",
        "window",
        year,
        open_supplement["id"],
    )
    assert d["declaration_no"] == f"SB-{year}-0001" and d["estimated_investment"] == "1200000.00"
    [ev] = await harness.events("ProjectDeclared")
    data = ev.data
    assert data["project_id"] == d["project_id"] and ev.subject == d["project_id"]
    assert (data["org"], data["title"], data["library_year"], data["route"], data["status"]) == (
        "ORG-A",
        "市域治理数据共享平台",
        year,
        "window",
        "submitted",
    )
    assert data["cross_department"] == {"lead_org": "ORG-A", "participant_orgs": ["ORG-B"]}
    assert data["declared_on"] == clock.today().isoformat() and data["estimated_investment"] == "1200000.00"
    second = (await client.post("/declarations", json=declaration(title="不动产登记业务系统"), headers=UB)).json()
    assert second["declaration_no"] == f"SB-{year}-0002"


async def test_r8_1_no_open_window_is_409_and_writes_nothing(client, harness):
    r = await client.post("/declarations", json=declaration(), headers=UA)
    assert r.status_code == 409 and r.json()["rule"] == "R-8.1"
    assert {v["rule"] for v in r.json()["violations"]} == {"R-8.1", "R-9.1"}
    assert await harness.events() == []
    assert (await client.get("/declarations", headers=BDB)).json()["items"] == []


async def test_r8_1_annual_route_in_q4(client, at):
    at(date(2026, 11, 2))
    w = (
        await client.post(
            "/windows",
            json={"kind": "annual", "library_year": 2027, "opens_on": "2026-10-01", "closes_on": "2026-11-30"},
            headers=BDB,
        )
    ).json()
    d = (await client.post("/declarations", json=declaration(), headers=UA)).json()
    assert (d["library_year"], d["declaration_no"], d["window_id"], d["declared_on"]) == (
        2027,
        "SB-2027-0001",
        w["id"],
        "2026-11-02",
    )
    at(date(2026, 12, 1))  # the window has closed
    assert (await client.post("/declarations", json=declaration(), headers=UA)).json()["rule"] == "R-8.1"


async def test_r2_2_excluded_category_and_items_refused(client, harness, open_supplement):
    r = await client.post("/declarations", json=declaration(category="office_equipment"), headers=UA)
    assert r.status_code == 422 and r.json()["rule"] == "R-2.2" and r.json()["article"] == "第二条"
    r = await client.post("/declarations", json=declaration(title="机关打印机采购"), headers=UA)
    assert r.status_code == 422 and r.json()["rule"] == "R-2.2"
    assert [v["field"] for v in r.json()["violations"] if v["result"] == "fail"] == ["title"]
    r = await client.post(
        "/declarations",
        json=declaration(items=[{"name": "服务器", "quantity": 2}, {"name": "办公用U盘", "quantity": 50}]),
        headers=UA,
    )
    assert r.status_code == 422 and [v["field"] for v in r.json()["violations"]] == ["items.1.name"]
    assert r.json()["violations"][0]["basis"] == "practice"  # 办公 read as "for office use"
    r = await client.post("/declarations", json=declaration(description="建设宣传矩阵；开通微信公众号宣传"), headers=UA)
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "description"
    r = await client.post("/declarations", json=declaration(title="职业培训实训教室建设"), headers=UA)
    assert r.status_code == 422 and r.json()["violations"][0]["details"]["exclusion"] == "training_classroom"
    r = await client.post("/declarations", json=declaration(title="机关数码照相机采购"), headers=UA)
    assert r.status_code == 422 and r.json()["violations"][0]["details"]["exclusion"] == "photo_camera"
    assert await harness.events("ProjectDeclared") == []
    ok = await client.post("/declarations", json=declaration(title="掌上办事手机App"), headers=UA)
    assert ok.status_code == 201 and ok.json()["declaration_no"].endswith("-0001") and ok.json()["flags"] == []


async def test_r2_2_surveillance_cameras_in_scope_and_resembling_items_flagged(client, open_supplement):
    """第二条 lists photo cameras, not surveillance cameras; a listed device without the office-use
    qualifier is flagged for the reviewer, not refused."""
    r = await client.post(
        "/declarations",
        json=declaration(
            title="视频监控联网平台",
            description="采购摄像头3000路，接入视频专网",
            items=[{"name": "网络摄像机", "quantity": 3000}, {"name": "U盘", "quantity": 5}],
        ),
        headers=UA,
    )
    assert r.status_code == 201, r.text
    flags = [f for f in r.json()["flags"] if f["rule"] == "R-2.2"]
    assert [(f["details"]["field"], f["details"]["exclusion"], f["basis"]) for f in flags] == [
        ("items.1.name", "mobile_storage", "practice")
    ]
    got = (await client.get(f"/declarations/{r.json()['project_id']}", headers=BDB)).json()
    assert [f["details"]["exclusion"] for f in got["flags"] if f["rule"] == "R-2.2"] == ["mobile_storage"]


async def test_r2_1_unknown_category_and_non_municipal_funding(client, open_supplement):
    r = await client.post("/declarations", json=declaration(category="smart_stuff"), headers=UA)
    assert r.status_code == 422 and r.json()["rule"] == "R-2.1"
    assert r.json()["violations"][0]["field"] == "category"
    r = await client.post("/declarations", json=declaration(municipal_budget=False), headers=UA)
    assert r.status_code == 422 and r.json()["rule"] == "R-2.1"


async def test_bad_amounts_name_the_field(client, open_supplement):
    for amount in ("-1.00", 1200000.5, "0", "12.345", "abc"):
        r = await client.post("/declarations", json=declaration(estimated_investment=amount), headers=UA)
        assert r.status_code == 422, amount
        assert r.json()["violations"][0]["field"] == "estimated_investment"
    r = await client.post("/declarations", json={"title": "x"}, headers=UA)
    assert {v["field"] for v in r.json()["violations"]} >= {"category", "estimated_investment"}


async def test_an_absurd_amount_is_refused_naming_the_field_and_nothing_is_written(client, harness, open_supplement):
    before = len(await harness.events())
    r = await client.post(
        "/declarations", json=declaration(estimated_investment="100000000000000000000.00"), headers=UA
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert (
        r.json()["violations"][0]["field"] == "estimated_investment"
        and "超出范围" in r.json()["violations"][0]["message"]
    )
    assert len(await harness.events()) == before


async def test_r9_3_emergency_skips_the_library(client, harness):
    body = declaration(title="防汛应急指挥调度系统", emergency={"type": "natural_disaster", "grounds": "特大暴雨"})
    r = await client.post("/declarations", json=body, headers=UA)
    assert r.status_code == 201, r.text
    d = r.json()
    assert (d["status"], d["route"], d["window_id"]) == ("emergency", "emergency", None)
    assert d["emergency"] == {"type": "natural_disaster", "type_zh": "自然灾害", "grounds": "特大暴雨", "rule": "R-9.3"}
    [ev] = await harness.events("EmergencyProjectRegistered")
    assert ev.rule == "R-9.3" and ev.data["route"] == "emergency" and ev.data["emergency_type"] == "natural_disaster"
    assert ev.data["declared_on"] and ev.data["org"] == "ORG-A"
    assert (
        await client.post("/declarations", json=declaration(emergency={"type": "war", "grounds": "x"}), headers=UA)
    ).json()["violations"][0]["field"] == "emergency.type"
    assert (
        await client.post(
            "/declarations", json=declaration(emergency={"type": "public_health", "grounds": ""}), headers=UA
        )
    ).status_code == 422
    # an emergency cannot be withdrawn or refused like a declaration
    assert (await client.post(f"/declarations/{d['project_id']}/withdraw", headers=UA)).status_code == 409


async def test_only_units_declare_for_their_own_org(client, open_supplement):
    assert (await client.post("/declarations", json=declaration(), headers=BDB)).status_code == 403
    assert (await client.post("/declarations", json=declaration(org="ORG-B"), headers=UA)).status_code == 403
    r = await client.post(
        "/declarations",
        json=declaration(cross_department={"lead_org": "ORG-B", "participant_orgs": ["ORG-C"]}),
        headers=UA,
    )
    assert r.status_code == 422 and r.json()["rule"] == "R-12.1"


async def test_visibility_unit_sees_own_and_participations(client, open_supplement):
    mine = (
        await client.post(
            "/declarations",
            json=declaration(cross_department={"lead_org": "ORG-A", "participant_orgs": ["ORG-B"]}),
            headers=UA,
        )
    ).json()
    theirs = (
        await client.post(
            "/declarations", json=declaration(title="社保业务系统", category="business_application"), headers=UC
        )
    ).json()
    pid = mine["project_id"]
    assert (await client.get(f"/declarations/{pid}", headers=UB)).status_code == 200
    assert (await client.get(f"/declarations/{pid}", headers=UC)).status_code == 404
    assert (await client.get(f"/declarations/{pid}", headers=BDB)).status_code == 200
    assert (await client.get("/declarations/not-a-uuid", headers=BDB)).status_code == 404
    # acting on another unit's declaration: 404; a participant may look but not act: 403
    assert (await client.post(f"/declarations/{pid}/withdraw", headers=UC)).status_code == 404
    assert (
        await client.post(f"/declarations/{pid}/special-addition", json={"reason": "x"}, headers=UC)
    ).status_code == 404
    assert (await client.post(f"/declarations/{pid}/withdraw", headers=UB)).status_code == 403
    a = (await client.get("/declarations", headers=UA)).json()["items"]
    b = (await client.get("/declarations", headers=UB)).json()["items"]
    c = (await client.get("/declarations", params={"org": "ORG-A"}, headers=UC)).json()["items"]
    assert [i["project_id"] for i in a] == [pid] == [i["project_id"] for i in b]
    assert [i["project_id"] for i in c] == []
    everything = (await client.get("/declarations", headers=BDB)).json()["items"]
    assert {i["project_id"] for i in everything} == {pid, theirs["project_id"]}
    assert (await client.get(f"/declarations/{pid}", headers=UA)).json()["version"] == 1


async def test_listing_filters_and_pagination(client, open_supplement):
    for i, cat in enumerate(["data_resources", "network_security", "network_security"]):
        r = await client.post("/declarations", json=declaration(title=f"系统{i}号", category=cat), headers=UA)
        assert r.status_code == 201
    await client.post(
        "/declarations",
        json=declaration(title="应急", emergency={"type": "public_health", "grounds": "疫情"}),
        headers=UA,
    )
    q = {"category": "network_security", "status": "submitted", "library_year": clock.today().year}
    assert len((await client.get("/declarations", params=q, headers=BDB)).json()["items"]) == 2
    assert len((await client.get("/declarations", params={"status": "emergency"}, headers=BDB)).json()["items"]) == 1
    seen, cursor = [], None
    while True:
        page = (
            await client.get(
                "/declarations", params={"limit": 3, **({"cursor": cursor} if cursor else {})}, headers=BDB
            )
        ).json()
        seen += [i["declaration_no"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 4 and len(set(seen)) == 4
    assert (await client.get("/declarations", params={"status": "bogus"}, headers=BDB)).status_code == 422
    assert (await client.get("/declarations", params={"cursor": "!!"}, headers=BDB)).status_code == 422


async def test_withdraw_before_admission_only(client, harness, open_supplement):
    d = (await client.post("/declarations", json=declaration(), headers=UA)).json()
    pid = d["project_id"]
    r = await client.post(f"/declarations/{pid}/withdraw", json={"reason": "重复申报"}, headers=UA)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn" and r.json()["version"] == 2
    assert [e.data["reason"] for e in await harness.events("DeclarationWithdrawn")] == ["重复申报"]
    again = await client.post(f"/declarations/{pid}/withdraw", headers=UA)
    assert again.status_code == 409 and again.json()["rule"] == "R-8.1"


async def test_draft_then_submit_and_if_match(client, harness, open_supplement):
    d = (await client.post("/declarations", json=declaration(draft=True), headers=UA)).json()
    assert (d["status"], d["window_id"], d["library_year"]) == ("draft", None, clock.today().year)
    pid = d["project_id"]
    stale = await client.post(f"/declarations/{pid}/submit", headers={**UA, "If-Match": '"7"'})
    assert stale.status_code == 412
    r = await client.post(f"/declarations/{pid}/submit", headers={**UA, "If-Match": '"1"'})
    assert r.status_code == 200 and (r.json()["status"], r.json()["window_id"]) == ("submitted", open_supplement["id"])
    assert [e.data["window_kind"] for e in await harness.events("DeclarationSubmitted")] == ["supplement"]
    assert (await client.post(f"/declarations/{pid}/submit", headers=UA)).status_code == 409


async def test_draft_cannot_be_submitted_without_a_window(client):
    d = (await client.post("/declarations", json=declaration(draft=True, library_year=2030), headers=UA)).json()
    r = await client.post(f"/declarations/{d['project_id']}/submit", headers=UA)
    assert r.status_code == 409 and r.json()["rule"] == "R-8.1"


async def test_declaration_numbers_unique_under_concurrency(client):
    today = clock.today()
    assert (await client.post("/windows", json=supplement_around(today), headers=BDB)).status_code == 201
    n = 8 if TEST_PG else 4
    rs = await asyncio.gather(
        *[
            client.post("/declarations", json=declaration(title=f"并发系统{i}"), headers=auth("unit", f"ORG-{i}"))
            for i in range(n)
        ]
    )
    assert all(r.status_code == 201 for r in rs), [r.text for r in rs]
    nos = sorted(r.json()["declaration_no"] for r in rs)
    assert nos == [f"SB-{today.year}-{i:04d}" for i in range(1, n + 1)]


async def test_idempotency_key_replays_the_first_declaration(client, harness, open_supplement):
    headers = {**UA, "Idempotency-Key": "decl-001"}
    first = await client.post("/declarations", json=declaration(), headers=headers)
    again = await client.post("/declarations", json=declaration(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["project_id"] == first.json()["project_id"]
    assert len(await harness.events("ProjectDeclared")) == 1
