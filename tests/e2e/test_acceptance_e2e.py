"""End to end: the four acceptance paths (R-21.1 – R-21.4) from ProjectApproved to final acceptance,
and a standard project refused at final acceptance while its archives acceptance is missing (R-22.1).

Two ways in:
- `test_*_path_*` / `test_standard_final_refused_*`: the whole public route through the gateway —
  an emergency declaration (R-9.3; the quickest way into review), the approval (and, from 500,000 元,
  the budget's estimate review; from 2,000,000 元 the leading group), then acceptance.
- `test_paths_from_a_published_project_approved`: ProjectApproved is published on the broker as the
  approval service would publish it, so the acceptance process, its consumer and the gateway are
  proven on their own (independent of the other services).
"""
from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

import pytest

from govkit.clock import today
from govkit.events.approval import ProjectApproved
from govkit.events.oversight import ProjectSuspended
from govkit.policy import policy_for
from govkit.testing import make_event

from tests.conftest import eventually, unique_org

ACC = "/api/v1/acceptance"
POLICY = policy_for(today())  # only to know which approval steps to drive


def _ok(resp, *codes):
    codes = codes or (200, 201)
    assert resp.status_code in codes, f"{resp.request.method} {resp.request.url.path} → {resp.status_code}: {resp.text}"
    return resp.json()


# --- getting a project approved, through reserve, approval and budget (API.md) ----------------------
def declare_emergency(unit, *, amount: str, classified=False, built_by_big_data_group=False) -> str:
    body = {"title": f"应急指挥调度系统-{uuid.uuid4().hex[:6]}", "category": "business_application",
            "estimated_investment": amount, "description": "突发事件应急指挥调度",
            "classified": classified, "built_by_big_data_group": built_by_big_data_group,
            "new_civil_works": False, "high_energy": False,
            "emergency": {"type": "public_health", "grounds": "突发公共卫生事件应急处置需要"}}
    return _ok(unit.post("/api/v1/reserve/declarations", json=body), 201)["project_id"]


def approve(api, unit, pid: str, amount: str) -> None:
    """Drive the approval of an emergency project until ProjectApproved (R-10 – R-14, R-25.1)."""
    bdb, bureau = api("bdb", "BDB"), api("approval_bureau", "XZSP")
    app = f"/api/v1/approval/applications/{pid}"
    eventually(lambda: unit.get(app).status_code == 200, timeout=30)
    for kind in ("proposal", "feasibility_study", "preliminary_design", "security_statement"):
        _ok(unit.post(f"{app}/materials", json={"kind": kind, "title": f"{kind}.pdf",
                                                 "sha256": "0" * 64}), 200, 201)
    _ok(unit.put(f"{app}/compliance", json={
        "uses_shared_infrastructure": True, "entrances": [], "serves_public": False, "data_items": [],
        "county_extension": True}), 200, 201)
    _ok(unit.post(f"{app}/submit", json={}), 200, 201)
    _ok(bdb.post(f"{app}/expert-reviews", json={"expert": "专家甲", "score": 88, "opinion": "同意"}), 200, 201)
    _ok(bdb.post(f"{app}/joint-review", json={"decision": "approve", "opinion": "联合会审通过"}), 200, 201)
    money = Decimal(amount)
    if money >= POLICY.estimate_review_threshold:  # finance reviews the estimate first
        finance = api("finance", "CZJ")
        eventually(lambda: finance.post(f"/api/v1/budget/projects/{pid}/estimate-review",
                                        json={"report_no": f"GS-{pid[:8]}", "reviewed_amount": amount}
                                        ).status_code in (200, 201), timeout=30)
    if money >= POLICY.leading_group_threshold:
        lg = api("leading_group", "LDXZ")
        eventually(lambda: lg.post(f"{app}/leading-group-decision",
                                   json={"decision": "approve", "opinion": "同意"}).status_code in (200, 201),
                   timeout=30)
    _ok(bdb.post(f"{app}/technical-opinion", json={"document_no": f"JS-{pid[:8]}"}), 200, 201)
    eventually(lambda: bureau.post(f"{app}/approval-document",
                                   json={"document_no": f"PF-{pid[:8]}", "approved_investment": amount}
                                   ).status_code in (200, 201), timeout=30)
    eventually(lambda: unit.get(app).json().get("status") == "approved", timeout=30)


def acceptance_view(unit, pid: str) -> dict:
    return eventually(lambda: (r := unit.get(f"{ACC}/projects/{pid}")).status_code == 200 and r.json(), timeout=30)


# --- acceptance steps ----------------------------------------------------------------------------
def record_prerequisites(unit, pid: str, *, archives=True) -> None:
    if archives:
        _ok(unit.post(f"{ACC}/projects/{pid}/archives-acceptance", json={"report_no": "DA-1", "passed": True}), 201)
    _ok(unit.post(f"{ACC}/projects/{pid}/security-assessments",
                  json={"kind": "mlps", "report_no": "DJCP-1", "passed": True}), 201)
    _ok(unit.put(f"{ACC}/projects/{pid}/profile", json={"uses_cryptography": False}))


def trial_operation(unit, pid: str):
    d = today().isoformat()
    return unit.post(f"{ACC}/projects/{pid}/trial-operation", json={"starts_on": d, "ends_on": d})


def walk(api, unit, pid: str, path: str) -> dict:
    """From construction to final acceptance along `path`, checking actor and order refusals on the way."""
    bdb = api("bdb", "BDB")
    secrecy = api("secrecy", "BMJ")
    record_prerequisites(unit, pid)
    if path != "merged":
        _ok(unit.post(f"{ACC}/projects/{pid}/preliminary", json={"opinion": "初验合格"}))
    if path == "classified":
        r = trial_operation(unit, pid)
        assert r.status_code == 409 and r.json()["rule"] == "R-23.1", r.text
        _ok(secrecy.post(f"{ACC}/projects/{pid}/secrecy-review", json={"passed": True, "operator": "信息中心"}), 201)
    _ok(trial_operation(unit, pid))
    if path == "standard":
        r = unit.post(f"{ACC}/projects/{pid}/final", json={"opinion": "通过"})
        assert r.status_code == 403 and r.json()["rule"] == "R-21.2", r.text
        r = bdb.post(f"{ACC}/projects/{pid}/final", json={"opinion": "通过"})
        assert r.status_code == 409 and r.json()["rule"] == "R-21.1", r.text  # not applied for yet
        _ok(unit.post(f"{ACC}/projects/{pid}/final-application", json={"planned_on": today().isoformat()}))
        return _ok(bdb.post(f"{ACC}/projects/{pid}/final", json={"opinion": "同意通过竣工验收"}))
    r = bdb.post(f"{ACC}/projects/{pid}/final", json={"opinion": "通过"})
    assert r.status_code == 403, r.text
    body = {"opinion": "同意通过竣工验收"}
    if path == "on_behalf":
        body["experts"] = ["专家甲", "专家乙"]
    return _ok(unit.post(f"{ACC}/projects/{pid}/final", json=body))


def check_final(done: dict, path: str) -> None:
    assert done["path"] == path and done["stage"] == "final_accepted", done
    assert done["final"]["led_by"] == ("bdb" if path == "standard" else "unit")
    accepted = done["final"]["accepted_on"]
    assert done["warranty_ends_on"] > accepted
    assert done["self_evaluation"]["opens_on"] > accepted and done["missing"] == []


# --- the four paths through the whole system ------------------------------------------------------
@pytest.mark.parametrize("path,amount,flags", [
    ("standard", "2500000.00", {}),
    ("merged", "300000.00", {}),
    ("classified", "300000.00", {"classified": True}),
    ("on_behalf", "300000.00", {"built_by_big_data_group": True}),
])
def test_path_from_declaration_to_final_acceptance(api, path, amount, flags):
    unit = api("unit", unique_org())
    pid = declare_emergency(unit, amount=amount, **flags)
    approve(api, unit, pid, amount)
    view = acceptance_view(unit, pid)
    assert view["path"] == path and view["stage"] == "construction"
    check_final(walk(api, unit, pid, path), path)


def test_standard_final_refused_while_archives_acceptance_is_missing(api):
    unit = api("unit", unique_org())
    amount = "2500000.00"
    pid = declare_emergency(unit, amount=amount)
    approve(api, unit, pid, amount)
    assert acceptance_view(unit, pid)["path"] == "standard"
    bdb = api("bdb", "BDB")
    record_prerequisites(unit, pid, archives=False)
    _ok(unit.post(f"{ACC}/projects/{pid}/preliminary", json={"opinion": "初验合格"}))
    _ok(trial_operation(unit, pid))
    _ok(unit.post(f"{ACC}/projects/{pid}/final-application", json={"planned_on": today().isoformat()}))
    r = bdb.post(f"{ACC}/projects/{pid}/final", json={"opinion": "同意"})
    assert r.status_code == 409 and r.json()["rule"] == "R-22.1", r.text
    assert [v["rule"] for v in r.json()["violations"]] == ["R-22.1"]
    view = unit.get(f"{ACC}/projects/{pid}").json()
    assert view["stage"] == "final_applied" and [m["rule"] for m in view["missing"]] == ["R-22.1"]
    _ok(unit.post(f"{ACC}/projects/{pid}/archives-acceptance", json={"report_no": "DA-9", "passed": True}), 201)
    check_final(_ok(bdb.post(f"{ACC}/projects/{pid}/final", json={"opinion": "同意"})), "standard")


# --- the acceptance service on its own: ProjectApproved published on the broker -------------------
async def _publish(bootstrap: str, payloads) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for payload in payloads:
            event = make_event(payload, actor="e2e")
            topic = "govpm.approval" if isinstance(payload, ProjectApproved) else "govpm.oversight"
            await producer.send_and_wait(topic, key=str(payload.project_id).encode(), value=event.to_json())
    finally:
        await producer.stop()


def _approved(org: str, amount: str, **flags) -> ProjectApproved:
    return ProjectApproved(project_id=uuid.uuid4(), org=org, title="e2e 验收路径", approved_investment=amount,
                           technical_opinion_no="JS-E2E", approval_document_no="PF-E2E",
                           estimate_review_required=Decimal(amount) >= POLICY.estimate_review_threshold,
                           approved_on=today(), declared_on=today(), **flags)


def test_paths_from_a_published_project_approved(stack, api):
    org = unique_org()
    unit = api("unit", org)
    at = POLICY.leading_group_threshold  # boundary: at the threshold standard, one fen below merged
    cases = {"standard": _approved(org, str(at)), "merged": _approved(org, str(at - Decimal("0.01"))),
             "classified": _approved(org, "9000000.00", classified=True),
             "on_behalf": _approved(org, "100000.00", built_by_big_data_group=True)}
    suspended = _approved(org, "300000.00")
    asyncio.run(_publish(stack.bootstrap, [*cases.values(), suspended,
                                           ProjectSuspended(project_id=suspended.project_id, reason="整改逾期")]))
    for path, event in cases.items():
        pid = str(event.project_id)
        assert acceptance_view(unit, pid)["path"] == path
        check_final(walk(api, unit, pid, path), path)
    # a suspended project does not move
    pid = str(suspended.project_id)
    eventually(lambda: acceptance_view(unit, pid)["status"] == "suspended")
    r = trial_operation(unit, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2", r.text
    # another unit never sees the project
    assert api("unit", unique_org()).get(f"{ACC}/projects/{pid}").status_code == 404
