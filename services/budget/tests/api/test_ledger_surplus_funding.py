"""The ledger and reconciliation (R-18.1), surplus returns (R-27.1), O&M funding (R-28.1)."""

from datetime import date, timedelta

from govkit import clock
from govkit.dev.testing import auth

from .helpers import (
    FIN,
    ORG,
    UNIT,
    FinalAccepted,
    PostEvaluationCompleted,
    ProgressReported,
    ProjectCodeAssigned,
    SelfEvaluationSubmitted,
    approved,
    contract,
    fund,
    new_id,
    pay,
    ready_project,
    review_started,
)


def progress(pid, year, quarter, used_year, used_total, corrected=False):
    return ProgressReported(
        project_id=pid,
        org=ORG,
        year=year,
        quarter=quarter,
        development_progress_pct=50,
        investment_completed_year=used_year,
        funds_used_year=used_year,
        investment_completed_total=used_total,
        funds_used_total=used_total,
        corrected=corrected,
    )


async def test_ledger_annual_and_cumulative_sums(harness, client):
    pid = new_id()
    await review_started(harness, pid, "1000.00")
    await approved(harness, pid, "1000.00", approved_on=date(2025, 1, 10))
    c = await contract(client, pid, "1000.00", signed_on=date(2025, 2, 1))
    assert c.status_code == 201
    await fund(client, pid, "300.00", c.json()["id"], year=2025)
    assert (await pay(client, pid, "100.00", paid_on="2025-03-01")).status_code == 201
    assert (await pay(client, pid, "200.00", paid_on="2025-11-01")).status_code == 201
    await fund(client, pid, "50.50", c.json()["id"], year=2026, plan="100.00")
    assert (await pay(client, pid, "50.50", paid_on="2026-01-05")).status_code == 201
    led = (await client.get(f"/projects/{pid}/ledger", headers=UNIT, params={"as_of": "2026-03-31"})).json()
    assert [(i["amount"], i["year_to_date"], i["cumulative"]) for i in led["items"]] == [
        ("100.00", "100.00", "100.00"),
        ("200.00", "300.00", "300.00"),
        ("50.50", "50.50", "350.50"),
    ]
    assert led["annual"] == [
        {"year": 2025, "total": "300.00", "cumulative": "300.00"},
        {"year": 2026, "total": "50.50", "cumulative": "350.50"},
    ]
    assert led["report_figures"] == {"as_of": "2026-03-31", "funds_used_year": "50.50", "funds_used_total": "350.50"}
    assert led["balance"] == "649.50"
    # as of the end of 2025 the report figures leave 2026 out
    led = (await client.get(f"/projects/{pid}/ledger", headers=UNIT, params={"as_of": "2025-12-31"})).json()
    assert led["report_figures"]["funds_used_year"] == "300.00"
    # paging
    page1 = (await client.get(f"/projects/{pid}/ledger", headers=UNIT, params={"limit": 2})).json()
    assert len(page1["items"]) == 2 and page1["next_cursor"]
    page2 = (
        await client.get(f"/projects/{pid}/ledger", headers=UNIT, params={"limit": 2, "cursor": page1["next_cursor"]})
    ).json()
    assert [i["amount"] for i in page2["items"]] == ["50.50"] and page2["next_cursor"] is None

    # reconciliation against quarterly reports
    await harness.deliver(progress(pid, 2025, 4, "300.00", "300.00"))
    assert await harness.events("FundsMismatchFlagged") == []
    await harness.deliver(progress(pid, 2026, 1, "50.50", "350.51"))
    flagged = await harness.events("FundsMismatchFlagged")
    assert len(flagged) == 1 and flagged[0].rule == "R-18.1"
    assert flagged[0].data["difference"] == "0.01" and flagged[0].data["ledger_total"] == "350.50"
    assert flagged[0].data["org"] == ORG
    # Q1 2025: the ledger had 100.00 by the quarter's end
    await harness.deliver(progress(pid, 2025, 1, "100.00", "100.00"))
    assert len(await harness.events("FundsMismatchFlagged")) == 1
    # a corrected report that now agrees is recorded as matched
    await harness.deliver(progress(pid, 2026, 1, "50.50", "350.50", corrected=True))
    recs = (await client.get(f"/projects/{pid}/reconciliations", headers=FIN)).json()["items"]
    assert [(r["year"], r["quarter"], r["matched"]) for r in recs] == [
        (2025, 1, True),
        (2025, 4, True),
        (2026, 1, True),
    ]


async def test_r18_1_year_figure_mismatch_is_flagged(harness, client):
    pid = await ready_project(harness, "1000.00")
    assert (await pay(client, pid, "100.00")).status_code == 201
    y, q = clock.quarter_of(clock.today())
    await harness.deliver(progress(pid, y, q, "90.00", "100.00"))
    flagged = await harness.events("FundsMismatchFlagged")
    assert len(flagged) == 1 and flagged[0].data["difference_year"] == "-10.00"


async def _project_with_contract(harness, client, approved_amount: str, contract_amount: str) -> tuple[str, str]:
    pid = new_id()
    await review_started(harness, pid, approved_amount)
    await approved(harness, pid, approved_amount)
    c = await contract(client, pid, contract_amount)
    assert c.status_code == 201, c.text
    await fund(client, pid, contract_amount, c.json()["id"], plan=approved_amount)
    return pid, c.json()["id"]


def _accepted(pid, warranty_ends_on=date(2029, 1, 1), accepted_on=None):
    return FinalAccepted(
        project_id=pid,
        org=ORG,
        accepted_on=accepted_on or clock.today(),
        warranty_ends_on=warranty_ends_on,
        self_evaluation_opens_on=date(2027, 1, 1),
        self_evaluation_closes_on=date(2028, 1, 1),
    )


async def test_r27_1_final_acceptance_returns_only_what_no_contract_commits(harness, client):
    """Approved 1000.00, one contract of 800.00 of which 750.25 is paid: final acceptance returns
    200.00 and keeps the contract's 49.75 (warranty retention) payable; paying it closes the books."""
    pid, _ = await _project_with_contract(harness, client, "1000.00", "800.00")
    assert (await pay(client, pid, "750.25")).status_code == 201
    await harness.deliver(_accepted(pid))
    await harness.deliver(_accepted(pid))  # another delivery of the same fact (new event id): returns once
    ev = await harness.events("SurplusReturned")
    assert len(ev) == 1 and ev[0].data["amount"] == "200.00" and ev[0].data["trigger"] == "final_accepted"
    assert ev[0].data["contracts_owed"] == "49.75" and ev[0].rule == "R-27.1"
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    assert view["status"] == "final_accepted" and view["settled"] is False
    assert view["returned_total"] == "200.00" and view["balance"] == "49.75" and view["contracts_owed"] == "49.75"
    assert view["warranty_ends_on"] == "2029-01-01"
    # the retention stays payable up to the contract's amount: 49.76 is refused, 49.75 paid
    r = await pay(client, pid, "49.76")
    assert r.status_code == 409 and r.json()["rule"] == "R-26.1"
    assert {v["rule"] for v in r.json()["violations"]} == {"R-26.1", "R-5.1", "R-27.1"}
    assert await harness.events("ProjectSettled") == []
    assert (await pay(client, pid, "49.75")).status_code == 201
    settled = await harness.events("ProjectSettled")
    assert len(settled) == 1 and settled[0].data["trigger"] == "contracts_paid"
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    assert view["status"] == "settled" and view["balance"] == "0.00" and view["paid_total"] == "800.00"
    r = await pay(client, pid, "0.01")
    assert r.status_code == 409 and r.json()["rule"] == "R-27.1"
    returns = (await client.get(f"/projects/{pid}/surplus-returns", headers=UNIT)).json()
    assert returns["returned_total"] == "200.00"
    assert [i["trigger"] for i in returns["items"]] == ["final_accepted", "contracts_paid"]


async def test_r27_1_contracts_paid_in_full_settle_at_final_acceptance(harness, client):
    pid, _ = await _project_with_contract(harness, client, "1000.00", "600.00")
    assert (await pay(client, pid, "600.00")).status_code == 201
    await harness.deliver(_accepted(pid))
    ev = await harness.events("SurplusReturned")
    assert [e.data["amount"] for e in ev] == ["400.00"]
    assert (await client.get(f"/projects/{pid}", headers=UNIT)).json()["status"] == "settled"
    assert len(await harness.events("ProjectSettled")) == 1


async def test_r27_1_warranty_end_closes_the_books(harness, client):
    """The day after the warranty's last day (our reading) what the contracts left unpaid is returned:
    finance closes the books, or the periodic scan does."""
    today = clock.today()
    ended = today - timedelta(days=1)
    pid, _ = await _project_with_contract(harness, client, "1000.00", "800.00")
    assert (await pay(client, pid, "700.00")).status_code == 201
    await harness.deliver(_accepted(pid, warranty_ends_on=ended, accepted_on=today - timedelta(days=800)))
    r = await client.post(f"/projects/{pid}/settlement", headers=FIN, json={"as_of": ended.isoformat()})
    assert r.status_code == 409 and r.json()["rule"] == "R-27.1"
    assert r.json()["violations"][0]["contracts"] == [{"contract_no": "HT-001", "owed": "100.00"}]
    assert (await client.post(f"/projects/{pid}/settlement", headers=UNIT, json={})).status_code == 403
    r = await client.post(f"/projects/{pid}/settlement", headers=FIN, json={"as_of": today.isoformat()})
    assert r.status_code == 201 and r.json()["trigger"] == "warranty_ended" and r.json()["basis"] == "practice"
    assert r.json()["returned_total"] == "300.00"
    assert (await client.post(f"/projects/{pid}/settlement", headers=FIN, json={})).status_code == 409
    r = await pay(client, pid, "100.00")
    assert r.status_code == 409 and r.json()["rule"] == "R-27.1"
    # the scan: a warranty ending today is not yet due, one that ended yesterday is
    due, _ = await _project_with_contract(harness, client, "500.00", "500.00")
    not_due, _ = await _project_with_contract(harness, client, "500.00", "500.00")
    await harness.deliver(_accepted(due, warranty_ends_on=ended, accepted_on=today - timedelta(days=800)))
    await harness.deliver(_accepted(not_due, warranty_ends_on=today, accepted_on=today - timedelta(days=800)))
    r = await client.post("/settlements/scan", headers=FIN, json={"as_of": today.isoformat()})
    assert r.status_code == 200 and r.json()["settled"] == [due]
    r = await client.post("/settlements/scan", headers=FIN, json={"as_of": (today + timedelta(days=1)).isoformat()})
    assert r.status_code == 422


async def test_r27_1_final_acceptance_heard_before_approval_settles_on_approval(harness, client):
    pid = new_id()
    await harness.deliver(
        FinalAccepted(
            project_id=pid,
            org=ORG,
            accepted_on=date(2026, 6, 1),
            warranty_ends_on=date(2028, 6, 1),
            self_evaluation_opens_on=date(2027, 6, 1),
            self_evaluation_closes_on=date(2028, 6, 1),
        )
    )
    assert await harness.events("SurplusReturned") == []
    await approved(harness, pid, "300.00")
    ev = await harness.events("SurplusReturned")
    assert len(ev) == 1 and ev[0].data["amount"] == "300.00"


async def test_r27_1_manual_surplus_return(harness, client):
    """During construction only what no contract commits can be returned: approved 1000.00, a
    contract of 700.00 with 600.00 paid → 300.00 returnable, 300.01 refused."""
    pid, _ = await _project_with_contract(harness, client, "1000.00", "700.00")
    assert (await pay(client, pid, "600.00")).status_code == 201
    r = await client.post(f"/projects/{pid}/surplus-returns", headers=UNIT, json={"amount": "300.01"})
    assert r.status_code == 409 and r.json()["rule"] == "R-27.1"
    assert "合同尚未支付 100.00 元须保留" in r.json()["detail"]
    r = await client.post(
        f"/projects/{pid}/surplus-returns", headers=UNIT, json={"amount": "100.00", "reason": "采购节约"}
    )
    assert r.status_code == 201 and r.json()["trigger"] == "manual"
    assert (
        await client.post(f"/projects/{pid}/surplus-returns", headers=auth("bdb"), json={"amount": "1.00"})
    ).status_code == 403
    assert (await pay(client, pid, "100.01")).status_code == 409
    assert (await pay(client, pid, "100.00")).status_code == 201
    view = (await client.get(f"/projects/{pid}", headers=FIN)).json()
    assert view["balance"] == "200.00" and view["returned_total"] == "100.00" and view["contracts_owed"] == "0.00"


async def test_r28_1_om_funding_from_evaluations(harness, client):
    a, b, c = await ready_project(harness), await ready_project(harness), await ready_project(harness)
    await harness.deliver(ProjectCodeAssigned(project_id=a, project_code="2026-320900-65-01-000123"))
    await harness.deliver(SelfEvaluationSubmitted(project_id=a, rating="good", submitted_on=date(2027, 6, 1)))
    await harness.deliver(SelfEvaluationSubmitted(project_id=b, rating="fair", submitted_on=date(2027, 7, 1)))
    await harness.deliver(SelfEvaluationSubmitted(project_id=c, rating="excellent", submitted_on=date(2027, 7, 1)))
    # post-evaluation overrides the self-evaluation of c
    await harness.deliver(PostEvaluationCompleted(project_id=c, rating="inefficient", completed_on=date(2027, 9, 1)))
    # a later self-evaluation does not override a post-evaluation
    await harness.deliver(SelfEvaluationSubmitted(project_id=c, rating="excellent", submitted_on=date(2027, 10, 1)))
    items = (await client.get("/operation-funding", headers=FIN, params={"year": 2028})).json()["items"]
    got = {i["project_id"]: (i["decision"], i["rating"], i["source"]) for i in items}
    assert got == {
        a: ("funded", "good", "self_evaluation"),
        b: ("reduced", "fair", "self_evaluation"),
        c: ("none", "inefficient", "post_evaluation"),
    }
    item_a = next(i for i in items if i["project_id"] == a)
    assert item_a["rule"] == "R-28.1" and "第二十八条" in item_a["basis"] and item_a["project_code"]
    events = await harness.events("OperationFundingDecided")
    assert [(e.subject, e.data["decision"]) for e in events] == [
        (a, "funded"),
        (b, "reduced"),
        (c, "funded"),
        (c, "none"),
    ]
    assert all(e.data["year"] == 2028 for e in events)
    assert (await client.get("/operation-funding", headers=FIN, params={"year": 2029})).json()["items"] == []
    assert len((await client.get("/operation-funding", headers=UNIT)).json()["items"]) == 3
    assert (await client.get("/operation-funding", headers=auth("unit", "ORG-Z"))).json()["items"] == []
    page = (await client.get("/operation-funding", headers=FIN, params={"limit": 2})).json()
    rest = (
        await client.get("/operation-funding", headers=FIN, params={"limit": 2, "cursor": page["next_cursor"]})
    ).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
