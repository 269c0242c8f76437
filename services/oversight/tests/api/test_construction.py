"""PUT /projects/{id}/construction — R-15.1, R-16.1, R-16.2, R-17.1."""

import uuid

from govkit.dev.testing import auth

FILING = dict(
    implementing_body="市应急管理局信息中心",
    responsible_person="张三",
    supervision_firm="江苏某监理公司",
    warranty_years=2,
    ip_owner="ORG-A",
    om_plan="运维方案",
    training_plan="培训方案",
    tenders=[{"name": "平台开发", "method": "公开招标", "awarded_to": "某科技公司", "date": "2027-03-01"}],
    planned_completion_on="2028-02-10",
)


async def test_filing_is_recorded_and_published(client, harness, approve):
    pid = await approve("ORG-A")
    before = await client.get(f"/projects/{pid}/construction", headers=auth("unit", "ORG-A"))
    assert before.status_code == 200 and before.json()["filed"] is False
    assert {m["rule"] for m in before.json()["missing"]} == {"R-15.1", "R-16.1", "R-16.2", "R-17.1"}
    r = await client.put(f"/projects/{pid}/construction", json=FILING, headers=auth("unit", "ORG-A"))
    assert r.status_code == 200, r.text
    assert r.json()["filed"] and r.json()["version"] == 1 and r.headers["etag"] == '"1"'
    events = await harness.events("ConstructionFiled")
    assert len(events) == 1 and events[0].rule == "R-15.1" and events[0].data["supervision_firm"] == "江苏某监理公司"
    view = (await client.get(f"/projects/{pid}", headers=auth("bdb"))).json()
    assert view["status"] == "in_construction" and view["supervision"]["construction_filed"]


async def test_r17_1_and_r16_1_refused_listing_every_violation(client, harness, approve):
    pid = await approve("ORG-A")
    body = {**FILING, "supervision_firm": None, "warranty_years": 1, "ip_owner": "某科技公司"}
    r = await client.put(f"/projects/{pid}/construction", json=body, headers=auth("unit", "ORG-A"))
    assert r.status_code == 422
    rules = {(v["rule"], v["field"]) for v in r.json()["violations"]}
    assert rules == {("R-17.1", "supervision_firm"), ("R-16.1", "warranty_years"), ("R-16.2", "ip_owner")}
    assert await harness.events("ConstructionFiled") == []
    assert (await client.get(f"/projects/{pid}/construction", headers=auth("unit", "ORG-A"))).json()["filed"] is False


async def test_warranty_boundary_two_years_accepted(client, approve):
    pid = await approve("ORG-A")
    ok = await client.put(
        f"/projects/{pid}/construction", json={**FILING, "warranty_years": 2}, headers=auth("unit", "ORG-A")
    )
    assert ok.status_code == 200


async def test_correction_with_if_match(client, approve):
    pid = await approve("ORG-A")
    h = auth("unit", "ORG-A")
    await client.put(f"/projects/{pid}/construction", json=FILING, headers=h)
    stale = await client.put(f"/projects/{pid}/construction", json=FILING, headers={**h, "If-Match": '"7"'})
    assert stale.status_code == 412
    ok = await client.put(
        f"/projects/{pid}/construction", json={**FILING, "responsible_person": "李四"}, headers={**h, "If-Match": '"1"'}
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["responsible_person"] == "李四"


async def test_roles_and_visibility(client, approve):
    pid = await approve("ORG-A")
    assert (await client.put(f"/projects/{pid}/construction", json=FILING, headers=auth("bdb"))).status_code == 403
    other = await client.put(f"/projects/{pid}/construction", json=FILING, headers=auth("unit", "ORG-B"))
    assert other.status_code == 404
    unknown = await client.put(f"/projects/{uuid.uuid4()}/construction", json=FILING, headers=auth("unit", "ORG-A"))
    assert unknown.status_code == 404
    assert (await client.put(f"/projects/{pid}/construction", json=FILING)).status_code == 401


async def test_participant_unit_may_file(client, approve):
    pid = await approve("ORG-A", participants=["ORG-P"])
    r = await client.put(
        f"/projects/{pid}/construction", json={**FILING, "ip_owner": "ORG-A"}, headers=auth("unit", "ORG-P")
    )
    assert r.status_code == 200
