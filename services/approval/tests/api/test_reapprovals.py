"""R-20.2: an adjustment that fails R-20.1 goes back through approval — bdb's technical opinion and
approval_bureau's approval document for the adjusted plan; until then the old approval stands.
Thresholds are judged on the re-approved amount (R-11.2, R-25.1)."""

from govkit.dev.testing import auth
from tests.conftest import UNIT_ORG

BDB = auth("bdb", "BDB")
UNIT = auth("unit", UNIT_ORG)
BUREAU = auth("approval_bureau", "XZSP")
FINANCE = auth("finance", "CZJ")
LG = auth("leading_group", "LG")


def _items(*amounts):
    return [{"name": f"内容{i + 1}", "amount": a} for i, a in enumerate(amounts)]


async def _adjust(client, pid, before, after, goals=False):
    r = await client.post(
        f"/applications/{pid}/adjustments",
        headers=UNIT,
        json={
            "reason_kind": "technical",
            "goals_changed": goals,
            "description": "调整建设内容",
            "items_before": _items(*before),
            "items_after": _items(*after),
        },
    )
    assert r.status_code == 201, r.text
    return r.json()


def _path(pid, rid, step=""):
    return f"/applications/{pid}/reapprovals/{rid}" + (f"/{step}" if step else "")


async def test_r20_2_cut_is_reapproved_with_opinion_and_document(flow, client, harness):
    pid = await flow.approved("1000000.00")
    adj = await _adjust(client, pid, ("600000.00", "400000.00"), ("300000.00", "200000.00"))
    rid = adj["reapproval_required"]
    view = (await client.get(_path(pid, rid), headers=UNIT)).json()
    assert view["status"] == "pending" and view["adjusted_total"] == "500000.00"
    assert view["previous_approved_investment"] == "1000000.00"
    assert {v["rule"] for v in view["missing"]} == {"R-20.2"} and len(view["missing"]) == 2
    app = (await client.get(f"/applications/{pid}", headers=UNIT)).json()
    assert app["missing"][0]["rule"] == "R-20.2" and app["missing"][0]["reapproval_id"] == rid
    # one re-approval at a time
    r = await client.post(
        f"/applications/{pid}/adjustments",
        headers=UNIT,
        json={
            "reason_kind": "technical",
            "goals_changed": False,
            "description": "x",
            "items_before": _items("600000.00", "400000.00"),
            "items_after": _items("600000.00", "400000.00"),
        },
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-20.2"
    # actors and visibility
    assert (
        await client.post(_path(pid, rid, "technical-opinion"), json={"document_no": "x"}, headers=UNIT)
    ).status_code == 403
    assert (await client.get(_path(pid, rid), headers=auth("unit", "ORG-OTHER"))).status_code == 404
    assert (await client.get(_path(pid, "00000000-0000-0000-0000-000000000000"), headers=UNIT)).status_code == 404
    # the document first, then the opinion: approved when both exist
    r = await client.post(_path(pid, rid, "approval-document"), json={"document_no": "XZSP-TZ-1"}, headers=BUREAU)
    assert r.status_code == 200 and r.json()["status"] == "pending", r.text
    assert await harness.events("ReapprovalApproved", pid) == []
    assert (await client.get(f"/applications/{pid}", headers=BDB)).json()["approved_investment"] == "1000000.00"
    r = await client.post(_path(pid, rid, "technical-opinion"), json={"document_no": "DSJ-TZ-1"}, headers=BDB)
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["approved_investment"] == "500000.00"
    [ev] = await harness.events("ReapprovalApproved", pid)
    assert ev.data["reapproval_id"] == rid and ev.data["approved_investment"] == "500000.00"
    assert ev.data["technical_opinion_no"] == "DSJ-TZ-1" and ev.data["approval_document_no"] == "XZSP-TZ-1"
    app = (await client.get(f"/applications/{pid}", headers=BDB)).json()
    assert app["approved_investment"] == "500000.00" and app["missing"] == []
    r = await client.post(_path(pid, rid, "reject"), json={"reasons": ["x"]}, headers=BUREAU)
    assert r.status_code == 409 and r.json()["rule"] == "R-20.2"
    # counts from the re-approval: 15% of 500,000 is 75,000
    after = ("300000.00", "200000.00")
    over = await _adjust(client, pid, after, ("224999.99", "275000.01"))
    assert over["outcome"] == "reapproval_required" and over["original_approved_total"] == "500000.00"
    assert over["counted_from"]["reapproval_id"] == rid and over["counted_from"]["basis"] == "practice"
    await client.post(_path(pid, over["reapproval_required"], "reject"), json={"reasons": ["不同意"]}, headers=BDB)
    ok = await _adjust(client, pid, after, ("225000.00", "275000.00"))
    assert ok["outcome"] == "self_adjusted" and ok["cumulative_moved"] == "75000.00"
    listed = (await client.get(f"/applications/{pid}/reapprovals", headers=UNIT)).json()["items"]
    assert [x["status"] for x in listed] == ["approved", "rejected"]


async def test_r20_2_r25_1_increase_needs_a_review_of_the_adjusted_estimate(flow, client, harness):
    pid = await flow.approved("1000000.00")  # reviewed at 1,000,000
    adj = await _adjust(client, pid, ("1000000.00",), ("1000000.00", "200000.00"))
    assert adj["outcome"] == "reapproval_required" and adj["amount_moved"] == "200000.00"
    rid = adj["reapproval_required"]
    assert (
        await client.post(_path(pid, rid, "technical-opinion"), json={"document_no": "J"}, headers=BDB)
    ).status_code == 200
    r = await client.post(_path(pid, rid, "approval-document"), json={"document_no": "P"}, headers=BUREAU)
    assert r.status_code == 409 and [v["rule"] for v in r.json()["violations"]] == ["R-25.1"]
    r = await client.post(
        _path(pid, rid, "approval-document"),
        json={"document_no": "P", "approved_investment": "1200000.01"},
        headers=BUREAU,
    )
    assert r.status_code == 409 and "R-20.2" in [v["rule"] for v in r.json()["violations"]]  # over the plan
    r = await client.post(
        _path(pid, rid, "estimate-review"),
        json={"report_no": "CZ-TZ-1", "reviewed_amount": "1150000.00"},
        headers=FINANCE,
    )
    assert r.status_code == 200 and r.json()["estimate_review"]["reviewed_amount"] == "1150000.00"
    r = await client.post(
        _path(pid, rid, "approval-document"),
        json={"document_no": "P", "approved_investment": "1200000.00"},
        headers=BUREAU,
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-25.1"  # the reviewed amount is the approved one
    r = await client.post(
        _path(pid, rid, "approval-document"), json={"document_no": "P", "construction_months": 18}, headers=BUREAU
    )
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["approved_investment"] == "1150000.00"
    [ev] = await harness.events("ReapprovalApproved", pid)
    assert ev.data["estimate_review_report_no"] == "CZ-TZ-1" and ev.data["construction_months"] == 18


async def test_r11_2_reapproval_reaching_the_leading_group_threshold(flow, client, harness):
    pid = await flow.approved("1900000.00")
    below = await _adjust(client, pid, ("1900000.00",), ("1999999.99",))
    rid = below["reapproval_required"]
    r = await client.post(
        _path(pid, rid, "leading-group-decision"), json={"decision": "approve", "opinion": "x"}, headers=LG
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-11.2"
    await client.post(_path(pid, rid, "reject"), json={"reasons": ["重报"]}, headers=BDB)
    at = await _adjust(client, pid, ("1900000.00",), ("2000000.00",))
    rid = at["reapproval_required"]
    await client.post(_path(pid, rid, "technical-opinion"), json={"document_no": "J"}, headers=BDB)
    await client.post(
        _path(pid, rid, "estimate-review"), json={"report_no": "CZ", "reviewed_amount": "2000000.00"}, headers=FINANCE
    )
    r = await client.post(_path(pid, rid, "approval-document"), json={"document_no": "P"}, headers=BUREAU)
    assert r.status_code == 409 and [v["rule"] for v in r.json()["violations"]] == ["R-11.2"]
    r = await client.post(
        _path(pid, rid, "leading-group-decision"), json={"decision": "approve", "opinion": "同意"}, headers=LG
    )
    assert r.status_code == 200, r.text
    r = await client.post(_path(pid, rid, "approval-document"), json={"document_no": "P"}, headers=BUREAU)
    assert r.status_code == 200 and r.json()["approved_investment"] == "2000000.00"
