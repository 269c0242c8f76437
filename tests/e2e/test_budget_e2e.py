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

from tests.conftest import eventually, unique_org

APPROVED = Decimal("300000.00")  # an emergency project under the estimate-review threshold


def _ok(resp: httpx.Response, *codes: int) -> dict:
    assert resp.status_code in (codes or (200, 201)), f"{resp.request.method} {resp.request.url}: " \
                                                      f"{resp.status_code} {resp.text}"
    return resp.json() if resp.content else {}


def _approved_project(api, org: str, amount: Decimal = APPROVED, reviewed: Decimal | None = None) -> str:
    """Emergency declaration (R-9.3) → approval steps of API.md → ProjectApproved. With `reviewed`,
    finance records its estimate review in budget first (R-25.1) and approval waits for it."""
    unit = api("unit", org)
    bdb = api("bdb", "DSJ")
    bureau = api("approval_bureau", "XZSPJ")
    decl = _ok(unit.post("/api/v1/reserve/declarations", json={
        "title": "应急指挥调度平台扩容", "category": "business_application",
        "estimated_investment": str(amount), "description": "防汛应急指挥调度能力扩容",
        "classified": False, "built_by_big_data_group": False, "new_civil_works": False, "high_energy": False,
        "emergency": {"type": "natural_disaster", "grounds": "汛期防汛应急需要"}}), 201)
    pid = decl["project_id"]
    eventually(lambda: unit.get(f"/api/v1/approval/applications/{pid}").status_code == 200, timeout=20)
    base = f"/api/v1/approval/applications/{pid}"
    for kind in ("proposal", "feasibility_study", "preliminary_design", "security_statement"):
        _ok(unit.post(f"{base}/materials", json={"kind": kind, "title": f"{kind}.pdf",
                                                 "sha256": "0" * 64}), 200, 201)
    _ok(unit.put(f"{base}/compliance", json={
        "uses_shared_infrastructure": True, "entrances": ["yanzhengtong"], "serves_public": False,
        "data_items": [], "county_extension": False,
        "county_extension_reason": "应急专用系统，仅市级部署"}), 200, 201)
    _ok(unit.post(f"{base}/submit", json={}), 200, 201)
    _ok(bdb.post(f"{base}/expert-reviews", json={"expert": "张专家", "score": 86, "opinion": "同意"}), 200, 201)
    _ok(bdb.post(f"{base}/joint-review", json={"decision": "approve", "opinion": "同意"}), 200, 201)
    if reviewed is not None:
        finance = api("finance", "CZJ")
        review = f"/api/v1/budget/projects/{pid}/estimate-review"
        opened = eventually(lambda: (r := finance.get(review)).status_code == 200 and r.json(), timeout=20)
        assert opened["status"] == "open" and opened["estimated_investment"] == str(amount)
        _ok(finance.post(review, json={"report_no": "盐财评〔2026〕8号", "reviewed_amount": str(reviewed)}), 201)
    _ok(bdb.post(f"{base}/technical-opinion", json={"document_no": "盐数据审〔2026〕1号"}), 200, 201)
    document = {"document_no": "盐审批〔2026〕1号", "approved_investment": str(reviewed or amount)}
    # approval may still be waiting for EstimateReviewed to cross the broker
    eventually(lambda: bureau.post(f"{base}/approval-document", json=document).status_code in (200, 201),
               timeout=20, interval=0.3)
    return pid


def _accept(api, org: str, pid: str) -> None:
    """Final acceptance through the acceptance service (merged path below 2,000,000 元, R-21.3)."""
    unit = api("unit", org)
    bdb = api("bdb", "DSJ")
    base = f"/api/v1/acceptance/projects/{pid}"
    eventually(lambda: unit.get(base).status_code == 200, timeout=20)
    steps = []
    # the unit states whether cryptography is used (R-7.2: decides whether 密评 is needed)
    steps.append(unit.put(f"{base}/profile", json={"uses_cryptography": False}))
    _ok(unit.post(f"{base}/archives-acceptance", json={"report_no": "DA-2026-1", "passed": True}), 200, 201)
    for kind in ("risk", "mlps"):
        _ok(unit.post(f"{base}/security-assessments", json={"kind": kind, "report_no": f"{kind}-1",
                                                            "passed": True}), 200, 201)
    # steps a merged path may not need are allowed to be refused; final acceptance must pass
    steps.append(unit.post(f"{base}/preliminary", json={"opinion": "初验合格"}))
    steps.append(unit.post(f"{base}/trial-operation", json={"starts_on": _today(), "ends_on": _today()}))
    steps.append(unit.post(f"{base}/final-application", json={"planned_on": _today()}))
    final = unit.post(f"{base}/final", json={"opinion": "终验合格"})
    if final.status_code == 403:
        final = bdb.post(f"{base}/final", json={"opinion": "终验合格"})
    assert final.status_code in (200, 201), [(r.request.url.path, r.status_code, r.text[:200]) for r in steps] + [
        final.text]


def _today() -> str:
    from govkit import clock

    return clock.today().isoformat()


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
    pid = _approved_project(api, org)
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
    _ok(unit.post(f"{project}/contracts", json={
        "contract_no": "HT-2026-001", "supplier": "盐城某信息技术有限公司", "amount": "290000.00",
        "procurement_method": "competitive_consultation", "signed_on": _today()}), 201)
    paid = _ok(finance.post(f"{project}/disbursements", json={"amount": "100000.00", "purpose": "首付款"}), 201)
    assert paid["paid_total"] == "100000.00" and paid["balance"] == "200000.00"

    # Parallel payments never overspend: 20 × 15,000.00 against a balance of 200,000.00.
    codes = asyncio.run(_parallel_payments(stack.gateway_url, pid, 20, "15000.00"))
    assert codes.count(201) == 13 and codes.count(409) == 7, codes
    view = finance.get(project).json()
    assert view["paid_total"] == "295000.00" and view["balance"] == "5000.00"

    # A suspension from oversight blocks the next payment ...
    _ok(bdb.post(f"/api/v1/oversight/projects/{pid}/sanctions",
                 json={"level": "suspend", "reason": "逾期未整改"}), 200, 201)
    eventually(lambda: finance.get(project).json()["status"] == "suspended")
    r = finance.post(f"{project}/disbursements", json={"amount": "1000.00", "purpose": "进度款"})
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"

    # ... and a resumption allows it.
    _ok(bdb.post(f"/api/v1/oversight/projects/{pid}/resume", json={}), 200, 201)
    eventually(lambda: finance.get(project).json()["status"] == "approved")
    _ok(finance.post(f"{project}/disbursements", json={"amount": "1000.00", "purpose": "进度款"}), 201)

    ledger = finance.get(f"{project}/ledger").json()
    assert ledger["paid_total"] == "296000.00" and ledger["items"][-1]["cumulative"] == "296000.00"

    # Final acceptance returns the surplus.
    _accept(api, org, pid)
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
    pid = _approved_project(api, org, Decimal("500000.00"), reviewed=Decimal("480000.00"))
    project = f"/api/v1/budget/projects/{pid}"
    view = eventually(lambda: (r := finance.get(project)).status_code == 200
                      and r.json()["status"] == "approved" and r.json())
    assert view["documents"]["estimate_review_required"] is True
    assert view["documents"]["estimate_review_report_no"] == "盐财评〔2026〕8号"
    assert view["estimate_review"]["reviewed_amount"] == "480000.00"
    assert [m["document"] for m in view["missing"]] == ["procurement_contract"]
