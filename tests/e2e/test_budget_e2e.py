"""Budget end to end (issue 5): real broker, every service and the gateway as processes.

A project approved in approval appears in budget with its documents; a payment before the contract is
refused naming the missing contract (R-26.1); after the contract it is paid; parallel payments never
overspend; a suspension from oversight blocks the next payment and a resumption allows it (R-30.2);
final acceptance returns the surplus (R-27.1)."""
from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx

from govkit.testing import token

from tests.e2e.flows import (
    acceptance_view, approved_project, eventually, ok, sanction_cause, today_iso, unique_org,
    walk_to_final_acceptance,
)

APPROVED = Decimal("300000.00")  # an emergency project under the estimate-review threshold


async def _parallel_payments(base_url: str, pid: str, n: int, amount: str) -> list[int]:
    headers = {"Authorization": f"Bearer {token('finance', 'CZJ')}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:
        results = await asyncio.gather(*[
            client.post(f"/api/v1/budget/projects/{pid}/disbursements",
                        json={"amount": amount, "purpose": f"并发支付 {i}"}) for i in range(n)])
    return [r.status_code for r in results]


def test_budget_lifecycle(stack, api):
    org = unique_org()
    unit = api("unit", org)
    finance = api("finance", "CZJ")
    bdb = api("bdb", "DSJ")
    pid = approved_project(api, unit, APPROVED)
    project = f"/api/v1/budget/projects/{pid}"

    # The approved project appears in budget with its documents.
    view = eventually(lambda: (r := finance.get(project)).status_code == 200
                      and r.json()["status"] == "approved" and r.json())
    assert view["approved_investment"] == str(APPROVED)
    assert view["documents"]["technical_opinion_no"] and view["documents"]["approval_document_no"]
    assert view["documents"]["estimate_review_required"] is False
    assert [m["document"] for m in view["missing"]] == ["procurement_contract"]
    assert unit.get(project).status_code == 200
    assert api("unit", unique_org()).get(project).status_code == 404

    # A payment before the contract is refused with the missing document.
    r = finance.post(f"{project}/disbursements", json={"amount": "100000.00", "purpose": "首付款"})
    assert r.status_code == 409 and r.json()["rule"] == "R-26.1"
    assert [v["document"] for v in r.json()["violations"]] == ["procurement_contract"]

    # After the contract it is paid.
    ok(unit.post(f"{project}/contracts", json={
        "contract_no": "HT-2026-001", "supplier": "盐城某信息技术有限公司", "amount": "290000.00",
        "procurement_method": "competitive_consultation", "signed_on": today_iso()}), 201)
    paid = ok(finance.post(f"{project}/disbursements", json={"amount": "100000.00", "purpose": "首付款"}), 201)
    assert paid["paid_total"] == "100000.00" and paid["balance"] == "200000.00"

    # Parallel payments never overspend: 20 × 15,000.00 against a balance of 200,000.00.
    codes = asyncio.run(_parallel_payments(stack.gateway_url, pid, 20, "15000.00"))
    assert codes.count(201) == 13 and codes.count(409) == 7, codes
    view = finance.get(project).json()
    assert view["paid_total"] == "295000.00" and view["balance"] == "5000.00"

    # A suspension from oversight blocks the next payment ...
    cause = sanction_cause(api, unit, pid, escalate_to="suspend")  # an order behind it
    ok(bdb.post(f"/api/v1/oversight/projects/{pid}/sanctions",
                json={"level": "suspend", "reason": "整改后仍不符合要求", "rectification_id": cause}), 200, 201)
    eventually(lambda: finance.get(project).json()["status"] == "suspended")
    r = finance.post(f"{project}/disbursements", json={"amount": "1000.00", "purpose": "进度款"})
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"

    # ... and a resumption allows it.
    ok(bdb.post(f"/api/v1/oversight/projects/{pid}/resume", json={}), 200, 201)
    eventually(lambda: finance.get(project).json()["status"] == "approved")
    ok(finance.post(f"{project}/disbursements", json={"amount": "1000.00", "purpose": "进度款"}), 201)

    ledger = finance.get(f"{project}/ledger").json()
    assert ledger["paid_total"] == "296000.00" and ledger["items"][-1]["cumulative"] == "296000.00"

    # Final acceptance (merged path below 2,000,000 元, R-21.3) returns the surplus;
    # acceptance hears of the resumption on its own, as budget did.
    eventually(lambda: acceptance_view(unit, pid)["status"] == "active")
    assert walk_to_final_acceptance(api, unit, pid, "merged")["stage"] == "final_accepted"
    settled = eventually(lambda: (v := finance.get(project).json())["status"] == "settled" and v, timeout=20)
    assert settled["returned_total"] == "4000.00" and settled["balance"] == "0.00"
    returns = unit.get(f"{project}/surplus-returns").json()
    assert [(i["amount"], i["trigger"]) for i in returns["items"]] == [("4000.00", "final_accepted")]
    r = finance.post(f"{project}/disbursements", json={"amount": "0.01", "purpose": "尾款"})
    assert r.status_code == 409 and r.json()["rule"] == "R-27.1"


def test_estimate_review_reaches_approval_and_budget(stack, api):
    """R-25.1 across services: 500,000.00 元 exactly opens finance's review in budget; the report
    recorded there lets approval approve; budget then holds the report with the other documents."""
    org = unique_org()
    finance = api("finance", "CZJ")
    pid = approved_project(api, api("unit", org), Decimal("500000.00"), reviewed=Decimal("480000.00"),
                           report_no="盐财评〔2026〕8号")
    project = f"/api/v1/budget/projects/{pid}"
    view = eventually(lambda: (r := finance.get(project)).status_code == 200
                      and r.json()["status"] == "approved" and r.json())
    assert view["documents"]["estimate_review_required"] is True
    assert view["documents"]["estimate_review_report_no"] == "盐财评〔2026〕8号"
    assert view["estimate_review"]["reviewed_amount"] == "480000.00"
    assert [m["document"] for m in view["missing"]] == ["procurement_contract"]
