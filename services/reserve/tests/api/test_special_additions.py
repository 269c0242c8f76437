"""R-9.2 special additions: request by the unit, decisions by bdb, finance and approval_bureau."""

from govkit import clock
from govkit.dev.testing import auth

from ..support import APB, BDB, FIN, declaration

UA = auth("unit", "ORG-A")


async def _request(client, **kw):
    r = await client.post(
        "/declarations", json=declaration(special_addition={"reason": "上级部署，时间紧"}, **kw), headers=UA
    )
    assert r.status_code == 201, r.text
    return r.json()


async def _decide(client, pid, who, decision="agree", opinion="同意"):
    return await client.post(
        f"/declarations/{pid}/special-addition/decisions", json={"decision": decision, "opinion": opinion}, headers=who
    )


async def test_r9_2_request_any_time_awaits_three_bureaus(client, harness):
    d = await _request(client)
    assert (d["status"], d["route"], d["library_year"], d["window_id"]) == (
        "awaiting_consultation",
        "special_addition",
        clock.today().year,
        None,
    )
    sa = d["special_addition"]
    assert sa["awaiting"] == ["bdb", "finance", "approval_bureau"] and sa["decided"] == []
    assert sa["matrix"] == {"bdb": None, "finance": None, "approval_bureau": None} and sa["outcome"] == "pending"
    [ev] = await harness.events("SpecialAdditionRequested")
    assert ev.rule == "R-9.2" and ev.data["reason"] == "上级部署，时间紧"
    assert (await _request(client, library_year=2031))["declaration_no"] == "SB-2031-0001"


async def test_r9_2_all_three_agree_admits(client, harness):
    pid = (await _request(client))["project_id"]
    r = await _decide(client, pid, FIN, opinion="资金可安排")
    assert r.status_code == 200 and r.json()["status"] == "awaiting_consultation"
    assert r.json()["special_addition"]["awaiting"] == ["bdb", "approval_bureau"]
    assert r.json()["special_addition"]["matrix"]["finance"]["opinion"] == "资金可安排"
    assert (await _decide(client, pid, BDB)).json()["status"] == "awaiting_consultation"
    assert await harness.events("ProjectAdmittedToReserve") == []
    done = (await _decide(client, pid, APB)).json()
    assert done["status"] == "admitted" and done["special_addition"]["outcome"] == "admitted"
    assert done["special_addition"]["awaiting"] == [] and done["admitted_on"] == clock.today().isoformat()
    [ev] = await harness.events("ProjectAdmittedToReserve")
    assert ev.rule == "R-9.2" and ev.data["route"] == "special_addition" and ev.data["project_id"] == pid
    assert [e.data["bureau"] for e in await harness.events("SpecialAdditionDecided")] == [
        "finance",
        "bdb",
        "approval_bureau",
    ]


async def test_r9_2_any_refusal_refuses(client, harness):
    pid = (await _request(client))["project_id"]
    await _decide(client, pid, BDB)
    r = await _decide(client, pid, FIN, "refuse", "资金来源不明")
    assert r.status_code == 200 and r.json()["status"] == "refused"
    assert r.json()["refusal"]["rule"] == "R-9.2" and "资金来源不明" in r.json()["refusal"]["reason"]
    late = await _decide(client, pid, APB)
    assert late.status_code == 409 and late.json()["rule"] == "R-9.2"
    assert await harness.events("ProjectAdmittedToReserve") == []
    [ev] = await harness.events("DeclarationRefused")
    assert ev.data["rule"] == "R-9.2"


async def test_r9_2_second_decision_by_the_same_bureau_refused_and_changes_nothing(client, harness):
    pid = (await _request(client))["project_id"]
    await _decide(client, pid, FIN)
    before = (await client.get(f"/declarations/{pid}", headers=BDB)).json()
    n_events = len(await harness.events())
    again = await _decide(client, pid, auth("finance", "ORG-FIN", sub="another-finance-officer"), "refuse", "改主意")
    assert again.status_code == 409 and again.json()["rule"] == "R-9.2"
    after = (await client.get(f"/declarations/{pid}", headers=BDB)).json()
    assert after["version"] == before["version"] and after["status"] == "awaiting_consultation"
    assert len(await harness.events()) == n_events


async def test_r9_2_who_may_decide_and_bad_input(client):
    pid = (await _request(client))["project_id"]
    assert (await _decide(client, pid, UA)).status_code == 403
    assert (await _decide(client, pid, auth("ndrc", "ORG-N"))).status_code == 403
    r = await client.post(
        f"/declarations/{pid}/special-addition/decisions", json={"decision": "maybe", "opinion": ""}, headers=FIN
    )
    assert r.status_code == 422 and {v["field"] for v in r.json()["violations"]} == {"decision", "opinion"}
    both = auth(["bdb", "finance"], "ORG-X")
    r = await _decide(client, pid, both)
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "bureau"
    r = await client.post(  # naming a bureau one does not hold is not allowed (was a 422)
        f"/declarations/{pid}/special-addition/decisions",
        json={"decision": "agree", "opinion": "同意", "bureau": "bdb"},
        headers=FIN,
    )
    assert r.status_code == 403 and r.json()["rule"] == "R-9.2", r.text
    r = await client.post(
        f"/declarations/{pid}/special-addition/decisions",
        json={"decision": "agree", "opinion": "同意", "bureau": "bdb"},
        headers=both,
    )
    assert r.status_code == 200 and r.json()["special_addition"]["decided"] == ["bdb"]


async def test_r9_2_draft_that_missed_its_window_becomes_a_request(client, harness, open_supplement):
    draft = (await client.post("/declarations", json=declaration(draft=True), headers=UA)).json()
    r = await client.post(
        f"/declarations/{draft['project_id']}/special-addition", json={"reason": "错过窗口"}, headers=UA
    )
    assert r.status_code == 200 and (r.json()["status"], r.json()["route"]) == (
        "awaiting_consultation",
        "special_addition",
    )
    submitted = (await client.post("/declarations", json=declaration(), headers=UA)).json()
    r = await client.post(f"/declarations/{submitted['project_id']}/special-addition", json={"reason": "x"}, headers=UA)
    assert r.status_code == 409 and r.json()["rule"] == "R-9.2"
    r = await _decide(client, submitted["project_id"], FIN)
    assert r.status_code == 409 and r.json()["rule"] == "R-9.2"
    assert (
        await client.post(f"/declarations/{draft['project_id']}/special-addition", json={"reason": ""}, headers=UA)
    ).status_code == 422


async def test_r9_2_bdb_refuse_endpoint_is_not_for_special_additions(client):
    pid = (await _request(client))["project_id"]
    r = await client.post(f"/declarations/{pid}/refuse", json={"reason": "不同意"}, headers=BDB)
    assert r.status_code == 409 and r.json()["rule"] == "R-9.2"
    w = await client.post(f"/declarations/{pid}/withdraw", headers=UA)
    assert w.status_code == 200 and w.json()["special_addition"]["outcome"] == "withdrawn"
    assert (await _decide(client, pid, FIN)).status_code == 409
