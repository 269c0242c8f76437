"""R-26.1 payment gate, R-30.2 no payment while suspended/terminated, concurrency."""

import asyncio
from datetime import timedelta

from govkit import clock
from govkit.dev.testing import auth

from .helpers import (
    FIN,
    OTHER,
    UNIT,
    AdjustmentFiled,
    ProjectResumed,
    ProjectSuspended,
    ProjectTerminated,
    approved,
    contract,
    fund,
    new_id,
    pay,
    ready_project,
    request_funds,
    review_started,
)


async def test_r26_1_unknown_project_finance_gets_every_missing_document(client):
    pid = new_id()
    r = await pay(client, pid, "1.00")
    assert r.status_code == 409 and r.json()["rule"] == "R-26.1" and r.json()["article"] == "第二十六条"
    docs = [v["document"] for v in r.json()["violations"]]
    assert docs == [
        "technical_opinion",
        "approval_document",
        "estimate_review_report",
        "procurement_contract",
        "funding_request",
        "funding_plan_line",
    ]
    # each names who provides it
    assert [v["provided_by"]["role"] for v in r.json()["violations"]] == [
        "bdb",
        "approval_bureau",
        "finance",
        "unit",
        "unit",
        "bdb",
    ]
    assert (await client.get(f"/projects/{pid}", headers=UNIT)).status_code == 404
    assert (await client.get(f"/projects/{pid}", headers=FIN)).status_code == 404
    assert (await contract(client, pid)).status_code == 404


async def test_r26_1_only_finance_pays(harness, client):
    pid = await ready_project(harness)
    r = await client.post(f"/projects/{pid}/disbursements", headers=UNIT, json={"amount": "1.00", "purpose": "x"})
    assert r.status_code == 403


async def test_r26_1_payment_before_the_contract_is_refused_then_paid(harness, client):
    pid = new_id()
    await review_started(harness, pid, "600000.00")
    await approved(harness, pid, "600000.00", report_no="CZPS-9")
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    assert view["status"] == "approved" and view["approved_investment"] == "600000.00"
    assert view["documents"]["technical_opinion_no"] == "DSJ-JS-001"
    assert [m["message"] for m in view["missing"]][0] == "缺少合规的政府采购合同（第二十六条）"
    assert [(m["rule"], m["document"], m["provided_by"]["role"]) for m in view["missing"]] == [
        ("R-26.1", "procurement_contract", "unit"),
        ("R-4.2", "funding_plan_line", "bdb"),
        ("R-5.1", "funding_request", "unit"),
    ]
    r = await pay(client, pid, "1000.00")
    assert r.status_code == 409 and r.json()["rule"] == "R-26.1"
    assert [v["document"] for v in r.json()["violations"]] == [
        "procurement_contract",
        "funding_request",
        "funding_plan_line",
    ]
    assert await harness.events("DisbursementRecorded") == []
    c = await contract(client, pid, "550000.00")
    assert c.status_code == 201
    await fund(client, pid, "550000.00", c.json()["id"])
    r = await pay(client, pid, "1000.00", voucher_no="GK-001")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["paid_total"] == "1000.00" and body["balance"] == "599000.00"
    assert body["payment_channel"] == "treasury_centralised" and body["year"] == clock.today().year
    ev = await harness.events("DisbursementRecorded")
    assert len(ev) == 1 and ev[0].data["paid_total"] == "1000.00"
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    assert view["missing"] == [] and view["payable"] is True and view["paid_total"] == "1000.00"
    assert view["contracts_total"] == "550000.00"


async def test_r26_1_estimate_review_report_missing_is_listed(harness, client):
    pid = new_id()
    await review_started(harness, pid, "500000.00")
    await approved(harness, pid, "500000.00", review_required=True, report_no=None)
    r = await pay(client, pid, "1.00")
    assert [v["document"] for v in r.json()["violations"] if v["rule"] == "R-26.1"] == [
        "estimate_review_report",
        "procurement_contract",
    ]
    missing = (await client.get(f"/projects/{pid}", headers=UNIT)).json()["missing"]
    assert missing[0]["provided_by"]["role"] == "finance" and missing[0]["amount"] == "500000.00"
    # finance's own review supplies the report
    assert (
        await client.post(
            f"/projects/{pid}/estimate-review",
            headers=FIN,
            json={"report_no": "CZPS-7", "reviewed_amount": "500000.00"},
        )
    ).status_code == 201
    r = await pay(client, pid, "1.00")
    assert [v["document"] for v in r.json()["violations"] if v["rule"] == "R-26.1"] == ["procurement_contract"]


async def test_r26_1_below_threshold_needs_no_review_report(harness, client):
    pid = new_id()
    await review_started(harness, pid, "499999.99")
    await approved(harness, pid, "499999.99")
    c = await contract(client, pid, "499999.99")
    assert c.status_code == 201
    await fund(client, pid, "499999.99", c.json()["id"])
    assert (await pay(client, pid, "499999.99")).status_code == 201


async def test_r26_1_contract_signed_before_approval_is_not_compliant(harness, client):
    pid = new_id()
    await review_started(harness, pid, "1000.00")
    await approved(harness, pid, "1000.00", approved_on=clock.today())
    r = await contract(client, pid, signed_on=clock.today() - timedelta(days=1))
    assert r.status_code == 201 and r.json()["compliant"] is False
    assert r.json()["compliance"]["rule"] == "R-26.1"
    # the response says why, and so does the project's `missing`
    [warning] = r.json()["warnings"]
    assert warning["rule"] == "R-26.1" and "早于项目批复日期" in warning["message"]
    missing = (await client.get(f"/projects/{pid}", headers=UNIT)).json()["missing"]
    assert missing[0]["document"] == "procurement_contract" and "早于项目批复日期" in missing[0]["message"]
    assert missing[0]["noncompliant_contracts"][0]["contract_no"] == "HT-001"
    assert [v["document"] for v in (await pay(client, pid, "1.00")).json()["violations"] if v["rule"] == "R-26.1"] == [
        "procurement_contract"
    ]
    # no funding request can be filed on it either
    r = await request_funds(client, pid, "1.00", r.json()["id"])
    assert r.status_code == 409 and r.json()["rule"] == "R-26.1"
    # signed on the approval day: compliant
    r = await contract(client, pid, no="HT-002", signed_on=clock.today())
    assert r.status_code == 201 and r.json()["compliant"] is True and r.json()["warnings"] == []


async def test_r26_1_never_more_than_the_approved_investment(harness, client):
    pid = await ready_project(harness, "1000.00")
    r = await pay(client, pid, "1000.01")
    assert r.status_code == 409 and r.json()["rule"] == "R-26.1"
    assert r.json()["violations"][0]["excess"] == "0.01"
    assert (await pay(client, pid, "999.99")).status_code == 201
    r = await pay(client, pid, "0.02")
    assert r.status_code == 409 and r.json()["violations"][0]["available"] == "0.01"
    assert (await pay(client, pid, "0.01")).status_code == 201
    view = (await client.get(f"/projects/{pid}", headers=FIN)).json()
    assert view["paid_total"] == "1000.00" and view["balance"] == "0.00" and view["payable"] is False


async def test_r26_1_adjustment_changes_the_limit(harness, client):
    pid = await ready_project(harness, "1000.00")
    assert (await pay(client, pid, "1000.00")).status_code == 201
    await harness.deliver(
        AdjustmentFiled(
            project_id=pid,
            outcome="self_adjusted",
            reason_kind="technical",
            amount_moved="100.00",
            new_total="1100.00",
            approved_total="1100.00",
        )
    )
    c = await contract(client, pid, "200.00", no="HT-002")
    await fund(client, pid, "100.00", c.json()["id"], plan="1100.00")
    r = await pay(client, pid, "100.01")
    assert r.status_code == 409 and r.json()["rule"] == "R-26.1"
    assert (await pay(client, pid, "100.00")).status_code == 201
    view = (await client.get(f"/projects/{pid}", headers=FIN)).json()
    assert view["approved_investment"] == "1100.00" and view["original_approved_investment"] == "1000.00"


async def test_r30_2_suspension_blocks_payment_and_resumption_allows_it(harness, client):
    pid = await ready_project(harness, "1000.00")
    await harness.deliver(ProjectSuspended(project_id=pid, reason="逾期未整改"))
    r = await pay(client, pid, "10.00")
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2" and r.json()["article"] == "第三十条"
    assert r.json()["violations"][0]["state"] == "suspended"
    assert (await client.get(f"/projects/{pid}", headers=UNIT)).json()["status"] == "suspended"
    assert (await contract(client, pid, no="HT-002")).status_code == 409
    await harness.deliver(ProjectResumed(project_id=pid, reason="已整改"))
    assert (await pay(client, pid, "10.00")).status_code == 201


async def test_r30_2_suspension_and_missing_documents_are_all_listed(harness, client):
    pid = new_id()
    await review_started(harness, pid, "1000.00")
    await approved(harness, pid, "1000.00")
    await harness.deliver(ProjectSuspended(project_id=pid, reason="x"))
    r = await pay(client, pid, "1.00")
    assert r.json()["rule"] == "R-30.2"
    assert [v["rule"] for v in r.json()["violations"]] == ["R-30.2", "R-26.1", "R-5.1", "R-4.2"]


async def test_r30_2_termination_blocks_payment_and_returns_the_surplus(harness, client):
    pid = await ready_project(harness, "1000.00")
    assert (await pay(client, pid, "400.00")).status_code == 201
    await harness.deliver(ProjectTerminated(project_id=pid, reason="终止"))
    r = await pay(client, pid, "1.00")
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"
    ev = await harness.events("SurplusReturned")
    assert len(ev) == 1 and ev[0].data["amount"] == "600.00" and ev[0].data["trigger"] == "terminated"
    view = (await client.get(f"/projects/{pid}", headers=FIN)).json()
    assert view["status"] == "terminated" and view["balance"] == "0.00" and view["returned_total"] == "600.00"


async def test_unit_sees_only_its_projects(harness, client):
    pid = await ready_project(harness)
    assert (await client.get(f"/projects/{pid}", headers=auth("unit", OTHER))).status_code == 404
    assert (await client.get(f"/projects/{pid}/ledger", headers=auth("unit", OTHER))).status_code == 404
    assert (await contract(client, pid, no="HT-X", headers=auth("unit", OTHER))).status_code == 404
    listed = (await client.get("/projects", headers=auth("unit", OTHER))).json()["items"]
    assert listed == []
    assert [p["project_id"] for p in (await client.get("/projects", headers=UNIT)).json()["items"]] == [pid]


async def test_cross_department_participant_may_record_contracts(harness, client):
    pid = new_id()
    await review_started(harness, pid, "1000.00", participants=["ORG-P"])
    await approved(harness, pid, "1000.00", participants=["ORG-P"])
    r = await contract(client, pid, headers=auth("unit", "ORG-P"))
    assert r.status_code == 201
    assert (await client.get(f"/projects/{pid}", headers=auth("unit", "ORG-P"))).status_code == 200


async def test_money_is_decimal_strings(harness, client):
    pid = await ready_project(harness)
    r = await client.post(f"/projects/{pid}/disbursements", headers=FIN, json={"amount": 10.5, "purpose": "x"})
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "amount"
    r = await client.post(f"/projects/{pid}/disbursements", headers=FIN, json={"amount": "10.001", "purpose": "x"})
    assert r.status_code == 422
    r = await client.post(f"/projects/{pid}/disbursements", headers=FIN, json={"amount": "0.00", "purpose": "x"})
    assert r.status_code == 422
    r = await pay(client, pid, "1.00", paid_on=(clock.today() + timedelta(days=1)).isoformat())
    assert r.status_code == 422 and "paid_on" in r.json()["detail"]
    r = await contract(client, pid, no="HT-9", method="handshake")
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "procurement_method"


async def test_contracts_sum_against_the_approved_investment(harness, client):
    pid = await ready_project(harness, "1000.00")  # one contract of 1000.00
    assert (await contract(client, pid, "0.01", no="HT-2")).status_code == 201
    assert (await contract(client, pid, "1.00", no="HT-2")).status_code == 409  # same number
    r = (await client.get(f"/projects/{pid}/contracts", headers=UNIT)).json()
    assert r["contracts_total"] == "1000.01" and r["over_approved"] is True and r["unallocated"] == "-0.01"
    assert len(r["items"]) == 2 and all(c["compliant"] for c in r["items"])
    assert len(await harness.events("ContractRecorded")) == 2


async def test_concurrent_payments_never_overspend(harness, client):
    pid = await ready_project(harness, "1000.00")
    results = await asyncio.gather(*[pay(client, pid, "100.00") for _ in range(20)])
    codes = sorted(r.status_code for r in results)
    assert codes.count(201) == 10 and codes.count(409) == 10, codes
    view = (await client.get(f"/projects/{pid}", headers=FIN)).json()
    assert view["paid_total"] == "1000.00" and view["balance"] == "0.00"
    ledger = (await client.get(f"/projects/{pid}/ledger", headers=FIN)).json()
    assert len(ledger["items"]) == 10 and ledger["items"][-1]["cumulative"] == "1000.00"
    assert len(await harness.events("DisbursementRecorded")) == 10


async def test_concurrent_uneven_payments_never_overspend(harness, client):
    pid = await ready_project(harness, "1000.00")
    amounts = ["333.33", "333.34", "333.33", "0.01", "250.00", "500.00", "1.00", "999.99"] * 3
    await asyncio.gather(*[pay(client, pid, a) for a in amounts])
    view = (await client.get(f"/projects/{pid}", headers=FIN)).json()
    from decimal import Decimal

    assert Decimal(view["paid_total"]) <= Decimal("1000.00")
    ledger = (await client.get(f"/projects/{pid}/ledger", headers=FIN)).json()
    assert sum(Decimal(i["amount"]) for i in ledger["items"]) == Decimal(view["paid_total"])
