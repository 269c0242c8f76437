"""Budget end to end (issues 5, 14): real broker, every service and the gateway as processes.

A project approved in approval appears in budget with its documents and everything it still lacks,
each with who provides it; a payment before the contract is refused naming the missing contract
(R-26.1); a contract signed before the approval is recorded and says why it does not count; after a
compliant contract, the year's funding plan line (R-4.2) and a confirmed funding request (R-5.1) it
is paid; parallel payments never overspend the request; a suspension from oversight blocks the next
payment and a resumption allows it (R-30.2); final acceptance returns only what no contract commits,
the contract's remainder stays payable, and paying it closes the books (R-27.1)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import httpx
from tests.e2e.flows import (
    acceptance_view,
    approved_project,
    budget_view,
    eventually,
    fund,
    ok,
    pay,
    record_contract,
    sanction_cause,
    unique_org,
    walk_to_final_acceptance,
)

from govkit.dev.testing import token

APPROVED = Decimal("300000.00")  # an emergency project under the estimate-review threshold


async def _parallel_payments(base_url: str, pid: str, n: int, amount: str, request_id: str) -> list[int]:
    headers = {"Authorization": f"Bearer {token('finance', 'CZJ')}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:
        results = await asyncio.gather(
            *[
                client.post(
                    f"/api/v1/budget/projects/{pid}/disbursements",
                    json={"amount": amount, "purpose": f"并发支付 {i}", "request_id": request_id},
                )
                for i in range(n)
            ]
        )
    return [r.status_code for r in results]


def test_budget_lifecycle(stack, api):
    org = unique_org()
    unit = api("unit", org)
    finance = api("finance", "CZJ")
    bdb = api("bdb", "DSJ")
    pid = approved_project(api, unit, APPROVED)
    project = f"/api/v1/budget/projects/{pid}"

    # The approved project appears in budget with its documents and what it still lacks, and who provides it.
    view = budget_view(finance, pid)
    assert view["status"] == "approved" and view["approved_investment"] == str(APPROVED)
    assert view["documents"]["technical_opinion_no"] and view["documents"]["approval_document_no"]
    assert view["documents"]["estimate_review_required"] is False
    assert [(m["document"], m["provided_by"]["role"]) for m in view["missing"]] == [
        ("procurement_contract", "unit"),
        ("funding_plan_line", "bdb"),
        ("funding_request", "unit"),
    ]
    assert unit.get(project).status_code == 200
    assert api("unit", unique_org()).get(project).status_code == 404

    # A payment before the contract is refused with everything missing (R-26.1 first).
    r = finance.post(f"{project}/disbursements", json={"amount": "100000.00", "purpose": "首付款"})
    assert r.status_code == 409 and r.json()["rule"] == "R-26.1"
    assert [v["document"] for v in r.json()["violations"]] == [
        "procurement_contract",
        "funding_request",
        "funding_plan_line",
    ]

    # A contract signed before the approval is recorded but says why it cannot be paid on.
    approved_on = date.fromisoformat(view["approved_on"])
    early = record_contract(
        unit, pid, "1000.00", contract_no="HT-EARLY", signed_on=(approved_on - timedelta(days=1)).isoformat()
    )
    assert early["compliant"] is False and "早于项目批复日期" in early["warnings"][0]["message"]
    missing = finance.get(project).json()["missing"]
    assert missing[0]["noncompliant_contracts"][0]["contract_no"] == "HT-EARLY"

    # After a compliant contract, the plan line and a confirmed request, it is paid.
    contract = record_contract(unit, pid, "290000.00", contract_no="HT-2026-001")
    assert contract["compliant"] is True
    rid = fund(api, unit, pid, "200000.00", contract["id"])
    paid = ok(
        finance.post(f"{project}/disbursements", json={"amount": "100000.00", "purpose": "首付款", "request_id": rid}),
        201,
    )
    assert paid["paid_total"] == "100000.00" and paid["balance"] == "200000.00" and paid["request_id"] == rid

    # Parallel payments never overspend: 20 × 15,000.00 against the request's 100,000.00 left.
    codes = asyncio.run(_parallel_payments(stack.gateway_url, pid, 20, "15000.00", rid))
    assert codes.count(201) == 6 and codes.count(409) == 14, codes
    view = finance.get(project).json()
    assert view["paid_total"] == "190000.00" and view["balance"] == "110000.00"

    # A suspension from oversight blocks the next payment ...
    cause = sanction_cause(api, unit, pid, escalate_to="suspend")  # an order behind it
    ok(
        bdb.post(
            f"/api/v1/oversight/projects/{pid}/sanctions",
            json={"level": "suspend", "reason": "整改后仍不符合要求", "rectification_id": cause},
        ),
        200,
        201,
    )
    eventually(lambda: finance.get(project).json()["status"] == "suspended")
    r = finance.post(f"{project}/disbursements", json={"amount": "1000.00", "purpose": "进度款", "request_id": rid})
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"

    # ... and a resumption allows it.
    ok(bdb.post(f"/api/v1/oversight/projects/{pid}/resume", json={}), 200, 201)
    eventually(lambda: finance.get(project).json()["status"] == "approved")
    ok(
        finance.post(f"{project}/disbursements", json={"amount": "1000.00", "purpose": "进度款", "request_id": rid}),
        201,
    )

    ledger = finance.get(f"{project}/ledger").json()
    assert ledger["paid_total"] == "191000.00" and ledger["items"][-1]["cumulative"] == "191000.00"

    # Final acceptance (merged path below 2,000,000 元, R-21.3) returns only the surplus no contract
    # commits: 300,000 − 191,000 paid − 99,000 the contract still owes = 10,000.
    eventually(lambda: acceptance_view(unit, pid)["status"] == "active")
    assert walk_to_final_acceptance(api, unit, pid, "merged")["stage"] == "final_accepted"
    accepted = eventually(lambda: (v := finance.get(project).json())["status"] == "final_accepted" and v, timeout=20)
    assert accepted["returned_total"] == "10000.00" and accepted["contracts_owed"] == "99000.00"
    assert accepted["balance"] == "99000.00"
    returns = unit.get(f"{project}/surplus-returns").json()
    assert [(i["amount"], i["trigger"]) for i in returns["items"]] == [("10000.00", "final_accepted")]

    # The contract's remainder (e.g. warranty retention) stays payable; paying it closes the books.
    # 9,000 are left of the first request; a new one cannot ask more than the contract's 90,000 unrequested.
    ok(
        finance.post(f"{project}/disbursements", json={"amount": "9000.00", "purpose": "进度款", "request_id": rid}),
        201,
    )
    pay(api, unit, pid, "90000.00", contract["id"], purpose="质保金")
    settled = finance.get(project).json()
    assert settled["status"] == "settled" and settled["balance"] == "0.00" and settled["paid_total"] == "290000.00"
    r = finance.post(f"{project}/disbursements", json={"amount": "0.01", "purpose": "尾款", "request_id": rid})
    assert r.status_code == 409 and r.json()["rule"] == "R-27.1"


def test_estimate_review_reaches_approval_and_budget(stack, api):
    """R-25.1 across services: 500,000.00 元 exactly opens finance's review in budget; the report
    recorded there lets approval approve; budget then holds the report with the other documents."""
    org = unique_org()
    finance = api("finance", "CZJ")
    pid = approved_project(
        api, api("unit", org), Decimal("500000.00"), reviewed=Decimal("480000.00"), report_no="盐财评〔2026〕8号"
    )
    view = budget_view(finance, pid)
    assert view["status"] == "approved"
    assert view["documents"]["estimate_review_required"] is True
    assert view["documents"]["estimate_review_report_no"] == "盐财评〔2026〕8号"
    assert view["estimate_review"]["reviewed_amount"] == "480000.00"
    assert [m["document"] for m in view["missing"]] == ["procurement_contract", "funding_plan_line", "funding_request"]
