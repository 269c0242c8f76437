"""R-30.1 rectification orders in their duty area, answered by the unit and verified by the ordering
department; R-30.2 the sanctions ladder opened only by an overdue or non-compliant order."""

from datetime import date

from govkit import clock
from govkit.dev.testing import auth


async def _order(client, pid, role="bdb", area="resource_sharing", deadline="2027-11-25", **extra) -> dict:
    r = await client.post(
        f"/projects/{pid}/rectifications",
        json={"finding": "数据未共享", "deadline": deadline, "area": area, **extra},
        headers=auth(role),
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_r30_1_order_needs_a_future_deadline_and_the_right_duty(client, approve):
    pid = await approve("ORG-A")
    body = {"finding": "x", "area": "resource_sharing"}
    past = await client.post(
        f"/projects/{pid}/rectifications", json={**body, "deadline": "2027-11-19"}, headers=auth("bdb")
    )
    assert past.status_code == 422 and past.json()["rule"] == "R-30.1"
    today = await client.post(
        f"/projects/{pid}/rectifications", json={**body, "deadline": "2027-11-20"}, headers=auth("bdb")
    )
    assert today.status_code == 201
    duty = await client.post(
        f"/projects/{pid}/rectifications",
        json={"finding": "x", "deadline": "2027-12-20", "area": "funds"},
        headers=auth("cac"),
    )
    assert duty.status_code == 403 and duty.json()["rule"] == "R-30.1"
    assert duty.json()["violations"][0]["field"] == "area" and duty.json()["article"] == "第三十条"
    unit = await client.post(
        f"/projects/{pid}/rectifications", json={**body, "deadline": "2027-12-20"}, headers=auth("unit", "ORG-A")
    )
    assert unit.status_code == 403


async def test_r30_1_area_is_required_and_each_department_orders_in_its_own_duty(client, harness, approve):
    pid = await approve("ORG-A")
    none = await client.post(
        f"/projects/{pid}/rectifications", json={"finding": "x", "deadline": "2027-12-20"}, headers=auth("bdb")
    )
    assert none.status_code == 422 and "area" in none.json()["detail"]
    cases = [
        ("bdc", "resource_sharing", 201),
        ("bdb", "resource_sharing", 201),
        ("bdb", "funds", 403),
        ("finance", "funds", 201),
        ("finance", "tendering_procurement", 201),
        ("approval_bureau", "tendering_procurement", 201),
        ("approval_bureau", "funds", 403),
        ("cac", "network_security", 201),
        ("police", "mlps", 201),
        ("police", "network_security", 403),
        ("crypto", "cryptography", 201),
        ("secrecy", "secrecy", 201),
        ("bdb", "network_security", 403),
    ]
    for role, area, status in cases:
        r = await client.post(
            f"/projects/{pid}/rectifications",
            json={"finding": "x", "deadline": "2027-12-20", "area": area},
            headers=auth(role),
        )
        assert r.status_code == status, (role, area, r.text)
        if status == 201:
            assert r.json()["ordered_by"] == role and r.json()["area"] == area
    assert len(await harness.events("RectificationOrdered")) == 9
    incident = await client.post(
        f"/projects/{pid}/rectifications",
        json={"finding": "x", "deadline": "2027-12-20", "area": "incident"},
        headers=auth("bdb"),
    )
    assert incident.status_code == 422 and incident.json()["violations"][0]["field"] == "incident_id"
    escalate = await client.post(
        f"/projects/{pid}/rectifications",
        json={"finding": "x", "deadline": "2027-12-20", "area": "funds", "escalate_to": "suspend"},
        headers=auth("finance"),
    )
    assert escalate.status_code == 422 and escalate.json()["violations"][0]["field"] == "escalation_basis"
    assert len(await harness.events("RectificationOrdered")) == 9


async def test_r30_1_unit_answers_and_the_ordering_department_verifies(client, harness, approve):
    pid = await approve("ORG-A")
    rect = await _order(client, pid, role="finance", area="funds", deadline="2027-12-20")
    other = await client.post(
        f"/rectifications/{rect['id']}/close", json={"evidence": "e"}, headers=auth("unit", "ORG-B")
    )
    assert other.status_code == 404
    missing = await client.post(f"/rectifications/{rect['id']}/close", json={}, headers=auth("unit", "ORG-A"))
    assert missing.status_code == 422
    early = await client.post(
        f"/rectifications/{rect['id']}/verification",
        json={"result": "closed", "opinion": "同意"},
        headers=auth("finance"),
    )
    assert early.status_code == 409 and early.json()["rule"] == "R-30.1"
    # the ordering department does not answer for the unit
    assert (
        await client.post(f"/rectifications/{rect['id']}/close", json={"evidence": "e"}, headers=auth("finance"))
    ).status_code == 403
    ok = await client.post(
        f"/rectifications/{rect['id']}/close", json={"evidence": "整改报告"}, headers=auth("unit", "ORG-A")
    )
    assert ok.status_code == 200 and ok.json()["status"] == "answered" and ok.json()["closed_late"] is False
    assert ok.json()["answered_on"] == "2027-11-20" and ok.json()["opens_ladder"] is False
    again = await client.post(
        f"/rectifications/{rect['id']}/close", json={"evidence": "e"}, headers=auth("unit", "ORG-A")
    )
    assert again.status_code == 409
    assert await harness.events("RectificationClosed") == []
    # only the ordering department verifies (bdb did not order this one)
    wrong = await client.post(
        f"/rectifications/{rect['id']}/verification", json={"result": "closed", "opinion": "同意"}, headers=auth("bdb")
    )
    assert wrong.status_code == 403 and wrong.json()["rule"] == "R-30.1"
    bad = await client.post(
        f"/rectifications/{rect['id']}/verification",
        json={"result": "done", "opinion": "同意"},
        headers=auth("finance"),
    )
    assert bad.status_code == 422
    nc = await client.post(
        f"/rectifications/{rect['id']}/verification",
        json={"result": "non_compliant", "opinion": "资金仍未退回"},
        headers=auth("finance"),
    )
    assert nc.status_code == 200 and nc.json()["status"] == "non_compliant" and nc.json()["opens_ladder"] is True
    [ev] = await harness.events("RectificationVerified")
    assert ev.rule == "R-30.2" and ev.data["result"] == "non_compliant"
    # answered again, then verified closed
    assert (
        await client.post(
            f"/rectifications/{rect['id']}/close", json={"evidence": "已退回"}, headers=auth("unit", "ORG-A")
        )
    ).json()["status"] == "answered"
    done = await client.post(
        f"/rectifications/{rect['id']}/verification",
        json={"result": "closed", "opinion": "已整改"},
        headers=auth("finance"),
    )
    assert done.status_code == 200 and done.json()["status"] == "closed" and done.json()["closed_on"] == "2027-11-20"
    assert len(await harness.events("RectificationClosed")) == 1
    assert len(await harness.events("RectificationAnswered")) == 2
    view = (await client.get(f"/projects/{pid}", headers=auth("bdb"))).json()
    assert view["supervision"]["open_rectifications"] == 0


async def test_r30_2_no_sanction_without_a_rectification_order_behind_it(client, harness, approve, monkeypatch):
    pid = await approve("ORG-A")
    h = auth("bdb")
    bare = await client.post(f"/projects/{pid}/sanctions", json={"level": "terminate", "reason": "x"}, headers=h)
    assert bare.status_code == 422 and "rectification_id" in bare.json()["detail"]
    other = await approve("ORG-B")
    foreign = await _order(client, other)
    r = await client.post(
        f"/projects/{pid}/sanctions",
        json={"level": "criticism", "reason": "x", "rectification_id": foreign["id"]},
        headers=h,
    )
    assert r.status_code == 422 and r.json()["rule"] == "R-30.2"
    rect = await _order(client, pid)  # deadline 2027-11-25
    body = {"level": "criticism", "reason": "逾期未整改", "rectification_id": rect["id"]}
    for day in (date(2027, 11, 20), date(2027, 11, 25)):  # before and on the deadline: not overdue
        monkeypatch.setattr(clock, "today", lambda d=day: d)
        r = await client.post(f"/projects/{pid}/sanctions", json=body, headers=h)
        assert r.status_code == 409 and r.json()["rule"] == "R-30.2", r.text
        assert r.json()["violations"][0]["rule"] == "R-30.2"
    assert await harness.events("SanctionApplied") == []
    monkeypatch.setattr(clock, "today", lambda: date(2027, 11, 26))  # one day after: overdue
    r = await client.post(f"/projects/{pid}/sanctions", json=body, headers=h)
    assert r.status_code == 201 and r.json()["opened_by"] == "overdue"
    assert (await harness.events("SanctionApplied"))[0].data["rectification_id"] == rect["id"]


async def test_r30_2_answered_in_time_awaits_verification_then_non_compliant_opens(client, approve, monkeypatch):
    pid = await approve("ORG-A")
    h = auth("bdb")
    rect = await _order(client, pid)
    await client.post(
        f"/rectifications/{rect['id']}/close", json={"evidence": "整改报告"}, headers=auth("unit", "ORG-A")
    )
    monkeypatch.setattr(clock, "today", lambda: date(2027, 12, 30))  # long past the deadline, but answered on time
    body = {"level": "criticism", "reason": "整改不到位", "rectification_id": rect["id"]}
    r = await client.post(f"/projects/{pid}/sanctions", json=body, headers=h)
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"
    await client.post(
        f"/rectifications/{rect['id']}/verification", json={"result": "non_compliant", "opinion": "仍未共享"}, headers=h
    )
    r = await client.post(f"/projects/{pid}/sanctions", json=body, headers=h)
    assert r.status_code == 201 and r.json()["opened_by"] == "non_compliant"
    # a closed order opens nothing
    done = await _order(client, pid, deadline="2027-12-30")
    await client.post(f"/rectifications/{done['id']}/close", json={"evidence": "e"}, headers=auth("unit", "ORG-A"))
    await client.post(
        f"/rectifications/{done['id']}/verification", json={"result": "closed", "opinion": "合格"}, headers=h
    )
    monkeypatch.setattr(clock, "today", lambda: date(2028, 3, 1))
    r = await client.post(
        f"/projects/{pid}/sanctions",
        json={**body, "level": "defer_investment", "rectification_id": done["id"]},
        headers=h,
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"


async def test_r30_2_one_rung_at_a_time_unless_the_order_says_otherwise(client, harness, approve, monkeypatch):
    pid = await approve("ORG-A")
    h = auth("bdb")
    rect = await _order(client, pid)
    monkeypatch.setattr(clock, "today", lambda: date(2027, 11, 26))
    body = {"reason": "逾期未整改", "rectification_id": rect["id"]}
    jump = await client.post(f"/projects/{pid}/sanctions", json={**body, "level": "suspend"}, headers=h)
    assert jump.status_code == 409 and jump.json()["violations"][0]["details"]["expected_step"] == "criticism"
    for level in ("criticism", "defer_investment", "suspend"):
        r = await client.post(f"/projects/{pid}/sanctions", json={**body, "level": level}, headers=h)
        assert r.status_code == 201 and r.json()["skipped_rungs"] == [], r.text
    assert r.json()["standing"] == "suspended"
    # an incident order that says the bureaus may suspend at once, with its basis
    pid2 = await approve("ORG-A")
    monkeypatch.setattr(clock, "today", lambda: date(2027, 11, 20))
    inc = (
        await client.post(
            f"/projects/{pid2}/incidents",
            json={"kind": "serious_delay", "description": "延误"},
            headers=auth("unit", "ORG-A"),
        )
    ).json()
    order = await _order(
        client,
        pid2,
        area="incident",
        incident_id=inc["id"],
        escalate_to="suspend",
        escalation_basis="第十九条：工程严重逾期，可暂停项目建设",
    )
    monkeypatch.setattr(clock, "today", lambda: date(2027, 11, 26))
    body = {"reason": "逾期未整改", "rectification_id": order["id"]}
    term = await client.post(f"/projects/{pid2}/sanctions", json={**body, "level": "terminate"}, headers=h)
    assert term.status_code == 409
    s = await client.post(f"/projects/{pid2}/sanctions", json={**body, "level": "suspend"}, headers=h)
    assert s.status_code == 201 and s.json()["skipped_rungs"] == ["criticism", "defer_investment"]
    assert s.json()["escalation_basis"].startswith("第十九条")
    ev = [e for e in await harness.events("SanctionApplied") if e.subject == str(pid2)]
    assert ev[0].data["escalation_basis"].startswith("第十九条")


async def test_r30_2_suspend_resume_terminate(client, harness, approve, monkeypatch):
    pid = await approve("ORG-A")
    h = auth("bdb")
    rect = await _order(client, pid, escalate_to="terminate", escalation_basis="严重违反批复要求")
    monkeypatch.setattr(clock, "today", lambda: date(2027, 11, 26))
    body = {"reason": "逾期未整改", "rectification_id": rect["id"]}
    assert (
        await client.post(f"/projects/{pid}/sanctions", json={**body, "level": "suspend"}, headers=auth("finance"))
    ).status_code == 403
    s = await client.post(f"/projects/{pid}/sanctions", json={**body, "level": "suspend"}, headers=h)
    assert s.status_code == 201 and s.json()["standing"] == "suspended"
    assert s.json()["skipped_rungs"] == ["criticism", "defer_investment"]
    [sus] = await harness.events("ProjectSuspended")
    assert sus.rule == "R-30.2" and sus.subject == str(pid)
    again = await client.post(f"/projects/{pid}/sanctions", json={**body, "level": "suspend"}, headers=h)
    assert again.status_code == 409 and again.json()["rule"] == "R-30.2"
    view = (await client.get(f"/projects/{pid}", headers=h)).json()
    assert view["status"] == "suspended" and view["rating"] == "red"
    r = await client.post(f"/projects/{pid}/resume", json={"reason": "已整改"}, headers=h)
    assert r.status_code == 200 and r.json()["standing"] == "active"
    assert len(await harness.events("ProjectResumed")) == 1
    assert (await client.post(f"/projects/{pid}/resume", headers=h)).status_code == 409
    t = await client.post(f"/projects/{pid}/sanctions", json={**body, "level": "terminate"}, headers=h)
    assert t.status_code == 201 and len(await harness.events("ProjectTerminated")) == 1
    after = await client.post(f"/projects/{pid}/sanctions", json={**body, "level": "criticism"}, headers=h)
    assert after.status_code == 409
    assert (await client.post(f"/projects/{pid}/resume", headers=h)).status_code == 409
    view = (await client.get(f"/projects/{pid}", headers=h)).json()
    assert view["status"] == "terminated"
    sanctions = (await client.get(f"/projects/{pid}/sanctions", headers=h)).json()
    assert [s["level"] for s in sanctions["items"]] == ["suspend", "resume", "terminate"]
