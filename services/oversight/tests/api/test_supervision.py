"""Incidents (R-19.1), rectification orders (R-30.1), sanctions (R-30.2), findings (R-29.1)."""

import uuid
from datetime import date
from decimal import Decimal

from govkit import clock
from govkit.dev.testing import auth
from govkit.events.budget import FundsMismatchFlagged


async def test_r19_1_incident_routed_to_bdb_and_finance_copied_to_approval(client, harness, approve):
    pid = await approve("ORG-A")
    r = await client.post(
        f"/projects/{pid}/incidents",
        json={"kind": "serious_delay", "description": "延误三个月"},
        headers=auth("unit", "ORG-A"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["routed_to"] == ["bdb", "finance"] and r.json()["copied_to"] == ["approval_bureau"]
    [ev] = await harness.events("IncidentReported")
    assert ev.rule == "R-19.1" and ev.data["routed_to"] == ["bdb", "finance"]
    for role in ("bdb", "finance", "approval_bureau"):
        inbox = (await client.get("/incidents", headers=auth(role))).json()
        assert [i["id"] for i in inbox["items"]] == [r.json()["id"]]
    assert (await client.get("/incidents", headers=auth("cac"))).status_code == 403
    bad = await client.post(
        f"/projects/{pid}/incidents", json={"kind": "minor", "description": "x"}, headers=auth("unit", "ORG-A")
    )
    assert bad.status_code == 422


async def test_rectification_from_an_incident_and_its_overdue_ladder(client, harness, approve, monkeypatch):
    pid = await approve("ORG-A")
    inc = (
        await client.post(
            f"/projects/{pid}/incidents",
            json={"kind": "major_loss", "description": "损失"},
            headers=auth("unit", "ORG-A"),
        )
    ).json()
    r = await client.post(
        f"/projects/{pid}/rectifications",
        json={"finding": "重大投资损失", "deadline": "2027-12-01", "incident_id": inc["id"], "area": "incident"},
        headers=auth("approval_bureau"),
    )
    assert r.status_code == 201, r.text
    rect = r.json()
    assert rect["rule"] == "R-19.1" and rect["ordered_by"] == "approval_bureau"
    [ev] = await harness.events("RectificationOrdered")
    assert ev.rule == "R-30.1" and ev.data["deadline"] == "2027-12-01"
    on_deadline = (
        await client.get("/rectifications/overdue", params={"as_of": "2027-12-01"}, headers=auth("bdb"))
    ).json()
    assert on_deadline["items"] == []
    after = (await client.get("/rectifications/overdue", params={"as_of": "2027-12-02"}, headers=auth("bdb"))).json()
    assert [(i["id"], i["next_step"], i["days_overdue"]) for i in after["items"]] == [(rect["id"], "criticism", 1)]
    # needs the order to be overdue *today*: move the clock past the deadline.
    monkeypatch.setattr(clock, "today", lambda: date(2027, 12, 2))
    c = await client.post(
        f"/projects/{pid}/sanctions",
        json={"level": "criticism", "reason": "逾期", "rectification_id": rect["id"]},
        headers=auth("bdb"),
    )
    assert c.status_code == 201 and c.json()["opened_by"] == "overdue", c.text
    after = (await client.get("/rectifications/overdue", params={"as_of": "2027-12-02"}, headers=auth("bdb"))).json()
    assert after["items"][0]["next_step"] == "defer_investment"
    other = (
        await client.get("/rectifications/overdue", params={"as_of": "2027-12-02"}, headers=auth("unit", "ORG-B"))
    ).json()
    assert other["items"] == []


async def test_r29_1_finding_recorded(client, harness, approve):
    pid = await approve("ORG-A")
    r = await client.post(
        f"/projects/{pid}/findings", json={"kind": "concealment", "finding": "隐瞒资金使用"}, headers=auth("finance")
    )
    assert r.status_code == 201 and r.json()["rule"] == "R-29.1" and r.json()["article"] == "第二十九条"
    [ev] = await harness.events("FindingRecorded")
    assert ev.rule == "R-29.1" and ev.data["kind"] == "concealment"
    assert (
        await client.post(
            f"/projects/{pid}/findings", json={"kind": "concealment", "finding": "x"}, headers=auth("unit", "ORG-A")
        )
    ).status_code == 403


async def test_funds_mismatch_becomes_a_finding_once(client, harness, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 10, 5))
    flagged = FundsMismatchFlagged(
        project_id=pid,
        year=2027,
        quarter=2,
        reported_funds_used_total=Decimal("100.00"),
        ledger_total=Decimal("80.00"),
        difference=Decimal("20.00"),
    )
    from govkit.dev.testing import make_event

    event = make_event(flagged)
    assert await harness.deliver(event)
    assert not await harness.deliver(event)  # redelivery changes nothing
    [ev] = await harness.events("FindingRecorded")
    assert ev.data["kind"] == "funds_mismatch" and ev.rule == "R-30.1"
    findings = (await client.get(f"/projects/{pid}/findings", headers=auth("unit", "ORG-A"))).json()
    assert len(findings) == 1
    view = (await client.get(f"/projects/{pid}", headers=auth("bdb"))).json()
    assert view["supervision"]["findings"] == 1 and view["rating"] == "amber"


async def test_funds_mismatch_for_unknown_project_is_tolerated(client, harness):
    pid = uuid.uuid4()
    assert await harness.deliver(
        FundsMismatchFlagged(
            project_id=pid,
            year=2027,
            quarter=2,
            reported_funds_used_total=Decimal("1.00"),
            ledger_total=Decimal("0.00"),
            difference=Decimal("1.00"),
        )
    )
    view = await client.get(f"/projects/{pid}", headers=auth("bdb"))
    assert view.status_code == 200 and view.json()["status"] == "unknown"
    assert date.fromisoformat(view.json()["updated_at"][:10])
