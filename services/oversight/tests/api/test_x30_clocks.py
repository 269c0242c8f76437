"""X-30.1: oversight's clocks pushed to the party that must act, before they run out and when past due."""

from datetime import date

from govkit.dev.testing import auth

from .test_projects import REPORT


async def _deadlines(harness, pid):
    return [
        (e.data["clock"], e.data["phase"], e.data["role"], e.data["org"], e.data["ref"])
        for e in await harness.events("SupervisionDeadline", subject=str(pid))
    ]


async def test_x30_1_quarterly_report_reminder_to_the_unit(client, harness, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 7, 5))  # Q3 due 2027-10-15; reminders 7 days before
    h = auth("bdb")
    await client.post("/clocks:scan", params={"as_of": "2027-10-07"}, headers=h)
    assert await _deadlines(harness, pid) == []
    r = await client.post("/clocks:scan", params={"as_of": "2027-10-08"}, headers=h)
    assert r.status_code == 200 and r.json()["published"] == 1
    assert await _deadlines(harness, pid) == [("progress_report", "approaching", "unit", "ORG-A", "2027Q3")]
    await client.post("/clocks:scan", params={"as_of": "2027-10-15"}, headers=h)
    assert len(await _deadlines(harness, pid)) == 1  # once
    mine = (await client.get("/clocks", headers=auth("unit", "ORG-A"))).json()
    assert [(i["clock"], i["ref"], i["rule"]) for i in mine["items"]] == [("progress_report", "2027Q3", "X-30.1")]
    assert (await client.get("/clocks", headers=auth("unit", "ORG-B"))).json()["items"] == []
    report = {**REPORT, "year": 2027, "quarter": 3}
    assert (
        await client.post(f"/projects/{pid}/progress-reports", json=report, headers=auth("unit", "ORG-A"))
    ).status_code == 201
    assert (await _deadlines(harness, pid))[-1][:2] == ("progress_report", "cleared")
    assert (await client.get("/clocks", headers=auth("unit", "ORG-A"))).json()["items"] == []
    assert (await client.post("/clocks:scan", headers=auth("unit", "ORG-A"))).status_code == 403


async def test_x30_1_rectification_deadline_to_the_unit_then_verification_to_the_bureau(client, harness, approve):
    pid = await approve("ORG-A")
    h = auth("finance")
    rect = (
        await client.post(
            f"/projects/{pid}/rectifications",
            json={"finding": "资金未按合同支付", "deadline": "2027-11-30", "area": "funds"},
            headers=h,
        )
    ).json()
    await client.post("/clocks:scan", params={"as_of": "2027-11-22"}, headers=auth("bdb"))
    assert await _deadlines(harness, pid) == []  # 8 days before
    await client.post("/clocks:scan", params={"as_of": "2027-11-23"}, headers=auth("bdb"))
    assert await _deadlines(harness, pid) == [("rectification", "approaching", "unit", "ORG-A", rect["id"])]
    await client.post("/clocks:scan", params={"as_of": "2027-12-01"}, headers=auth("bdb"))
    assert (await _deadlines(harness, pid))[1:] == [
        ("rectification", "overdue", "unit", "ORG-A", rect["id"]),
        ("rectification", "overdue", "finance", None, rect["id"]),
    ]
    assert [i["clock"] for i in (await client.get("/clocks", headers=h)).json()["items"]] == ["rectification"]
    await client.post(f"/rectifications/{rect['id']}/close", json={"evidence": "已支付"}, headers=auth("unit", "ORG-A"))
    got = (await _deadlines(harness, pid))[3:]
    assert [(c, p, r) for c, p, r, _, _ in got] == [
        ("rectification", "cleared", "unit"),
        ("rectification", "cleared", "finance"),
        ("rectification_verification", "due", "finance"),
    ]
    assert [i["clock"] for i in (await client.get("/clocks", headers=h)).json()["items"]] == [
        "rectification_verification"
    ]
    await client.post(
        f"/rectifications/{rect['id']}/verification", json={"result": "closed", "opinion": "合格"}, headers=h
    )
    assert (await _deadlines(harness, pid))[-1][:3] == ("rectification_verification", "cleared", "finance")
    assert (await client.get("/clocks", headers=h)).json()["items"] == []
