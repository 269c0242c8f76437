"""POST /declarations:check — the scope check of a declaration being typed (R-2.1, R-2.2), writing nothing."""

from govkit.dev.testing import auth

UA = auth("unit", "ORG-A")


async def test_office_printer_is_refused_with_its_field_and_nothing_is_declared(client, harness):
    r = await client.post(
        "/declarations:check", json={"title": "办公打印机采购", "category": "business_application"}, headers=UA
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is False
    failed = [d for d in body["decisions"] if d["result"] == "fail"]
    assert [(d["rule"], d["article"], d["field"]) for d in failed] == [("R-2.2", "第二条", "title")]
    assert await harness.events("ProjectDeclared") == []
    assert (await client.get("/declarations", headers=UA)).json()["items"] == []


async def test_in_scope_passes_and_out_of_scope_category_fails(client):
    ok = (
        await client.post(
            "/declarations:check",
            json={"title": "市域治理数据共享平台", "category": "data_resources", "description": "数据归集与共享"},
            headers=UA,
        )
    ).json()
    assert ok["ok"] is True and {d["rule"] for d in ok["decisions"]} >= {"R-2.1"}
    bad = (
        await client.post("/declarations:check", json={"title": "办公设备", "category": "office_equipment"}, headers=UA)
    ).json()
    assert bad["ok"] is False and any(
        d["result"] == "fail" and d["rule"] in ("R-2.1", "R-2.2") for d in bad["decisions"]
    )
    not_budget = (
        await client.post(
            "/declarations:check",
            json={"title": "市域治理数据共享平台", "category": "data_resources", "municipal_budget": False},
            headers=UA,
        )
    ).json()
    assert not_budget["ok"] is False


async def test_surveillance_cameras_are_in_scope(client):
    body = (
        await client.post(
            "/declarations:check",
            json={"title": "雪亮工程视频监控联网", "category": "infrastructure", "items": [{"name": "摄像机"}]},
            headers=UA,
        )
    ).json()
    assert body["ok"] is True


async def test_only_units_and_bdb_and_bad_input_is_422(client):
    assert (
        await client.post("/declarations:check", json={"title": "x"}, headers=auth("finance", "CZJ"))
    ).status_code == 403
    assert (await client.post("/declarations:check", json={"title": "x"})).status_code == 401
    r = await client.post("/declarations:check", json={"title": "x" * 201}, headers=UA)
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "title"
