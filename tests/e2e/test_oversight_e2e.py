"""Oversight end to end (issue 6): real broker, every service and the gateway as processes.

An approved project (emergency declaration under 500,000 元, R-9.3, through approval's steps) gets
its construction filing (R-15.1, R-17.1) and two quarterly reports (R-18.1), misses the third (the
overdue list and the scan's ProgressReportOverdue); an incident (R-19.1) leads to a rectification
(R-30.1, in its duty area) that passes its deadline (the overdue list names the next rung, R-30.2); the
unit answers, bdb verifies it still non-compliant, and — the order allowing it (R-19.1) — suspends:
budget refuses a payment — then resumes and the payment goes through; the timeline shows all of it
in order, and rebuilding the read model from the services' event logs gives the same view.

Quarterly clocks need time to pass: this test runs its own stack with oversight's clock moved
forward (GOVPM_OVERSIGHT_CLOCK_OFFSET_DAYS, test-only) so that the quarter after approval has begun.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from tests.e2e.fakes.portals import FakeYanzhengtong
from tests.e2e.flows import (
    api_factory,
    approved_project,
    budget_path,
    build_stack,
    eventually,
    fund,
    ok,
    started,
    unique_org,
)

from govkit.clock import quarter_end, quarter_of, today
from govkit.policy import policy_for

OFFSET_DAYS = 120
AMOUNT = Decimal("300000.00")  # emergency project under the estimate-review threshold: no step


def _next(q: tuple[int, int]) -> tuple[int, int]:
    return (q[0] + 1, 1) if q[1] == 4 else (q[0], q[1] + 1)


def _due(q: tuple[int, int]) -> date:
    end = quarter_end(*q)
    return end + timedelta(days=policy_for(end).progress_report_due_days)


@pytest.fixture(scope="module")
def yzt():
    """The 盐政通 to-do in-tray (X-30.1: every clock pushed to the party that must act)."""
    fake = FakeYanzhengtong().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="module")
def clock_stack(yzt):
    with started(
        build_stack(
            "oversight",
            GOVPM_OVERSIGHT_CLOCK_OFFSET_DAYS=str(OFFSET_DAYS),
            GOVPM_GATEWAY_YANZHENGTONG_URL=yzt.url,
            GOVPM_GATEWAY_WEBHOOK_BACKOFF_S="0.1",
            GOVPM_GATEWAY_WEBHOOK_POLL_S="0.1",
        )
    ) as s:
        yield s


@pytest.fixture
def api(clock_stack):
    with api_factory(clock_stack.gateway_url) as make:
        yield make


def _report(q: tuple[int, int], pct: int, total: str) -> dict:
    return {
        "year": q[0],
        "quarter": q[1],
        "procedures": "审批手续已办结",
        "tendering": "竞争性磋商已完成",
        "start_completion": "已开工",
        "implementation": "按计划实施",
        "development_progress_pct": pct,
        "investment_completed_year": total,
        "funds_used_year": total,
        "investment_completed_total": total,
        "funds_used_total": total,
    }


def test_supervised_project_life(api, yzt):
    org = unique_org()
    unit, bdb, finance = api("unit", org), api("bdb", "DSJ"), api("finance", "CZJ")
    pid = approved_project(api, unit, AMOUNT)
    view_path = f"/api/v1/projects/{pid}"

    # ProjectApproved reached oversight: supervision and the quarterly schedule have started.
    view = eventually(
        lambda: (v := bdb.get(view_path)).status_code == 200 and v.json()["status"] == "approved" and v.json(),
        timeout=30,
    )
    assert view["org"] == org and view["money"]["approved_investment"] == str(AMOUNT)
    approved_on = date.fromisoformat(view["clocks"]["approved_on"])
    q0 = quarter_of(approved_on)
    q1, q2 = _next(q0), _next(_next(q0))
    oversight_today = today() + timedelta(days=OFFSET_DAYS)
    assert quarter_of(oversight_today) >= q1

    # Construction filing (R-15.1, R-16.*, R-17.1): the supervision firm is mandatory.
    filing = {
        "implementing_body": f"{org} 信息中心",
        "responsible_person": "王五",
        "supervision_firm": "江苏某监理公司",
        "warranty_years": 2,
        "ip_owner": org,
        "om_plan": "运维方案",
        "training_plan": "培训方案",
        "tenders": [
            {
                "name": "平台建设",
                "method": "竞争性磋商",
                "awarded_to": "盐城某科技公司",
                "date": approved_on.isoformat(),
            }
        ],
    }
    refused = unit.put(f"/api/v1/oversight/projects/{pid}/construction", json={**filing, "supervision_firm": None})
    assert refused.status_code == 422 and refused.json()["violations"][0]["rule"] == "R-17.1"
    ok(unit.put(f"/api/v1/oversight/projects/{pid}/construction", json=filing))

    # Two quarterly reports, the third is missed.
    ok(unit.post(f"/api/v1/oversight/projects/{pid}/progress-reports", json=_report(q0, 20, "50000.00")), 201)
    ok(unit.post(f"/api/v1/oversight/projects/{pid}/progress-reports", json=_report(q1, 45, "120000.00")), 201)
    again = unit.post(f"/api/v1/oversight/projects/{pid}/progress-reports", json=_report(q1, 45, "120000.00"))
    assert again.status_code == 409 and again.json()["rule"] == "R-18.1"
    due2 = _due(q2)
    on_due = ok(bdb.get("/api/v1/oversight/progress-reports/overdue", params={"as_of": due2.isoformat(), "limit": 200}))
    assert all(i["project_id"] != pid for i in on_due["items"])
    overdue = ok(
        unit.get("/api/v1/oversight/progress-reports/overdue", params={"as_of": (due2 + timedelta(days=1)).isoformat()})
    )
    assert [(i["project_id"], i["year"], i["quarter"], i["due_on"]) for i in overdue["items"]] == [
        (pid, q2[0], q2[1], due2.isoformat())
    ]
    scan = ok(
        bdb.post(
            "/api/v1/oversight/progress-reports/overdue:scan", params={"as_of": (due2 + timedelta(days=1)).isoformat()}
        )
    )
    assert scan["published"] >= 1
    # the overdue report reaches 盐政通 for bdb and for the unit that must report
    period = f"{q2[0]}Q{q2[1]}"
    todos = eventually(
        lambda: (
            (t := yzt.by_project(pid))
            and {f"govpm-overdue_report-{pid}-bdb-{period}", f"govpm-overdue_report-{pid}-unit-{period}"} <= set(t)
            and t
        ),
        timeout=30,
    )
    assert todos[f"govpm-overdue_report-{pid}-unit-{period}"]["org"] == org

    # An incident leads to a rectification that passes its deadline.
    incident = ok(
        unit.post(
            f"/api/v1/oversight/projects/{pid}/incidents",
            json={"kind": "serious_delay", "description": "核心模块延误两个月"},
        ),
        201,
    )
    assert incident["routed_to"] == ["bdb", "finance"] and incident["copied_to"] == ["approval_bureau"]
    assert any(i["id"] == incident["id"] for i in ok(finance.get("/api/v1/oversight/incidents"))["items"])
    deadline = oversight_today + timedelta(days=10)
    body = {"finding": "进度严重滞后", "deadline": deadline.isoformat(), "incident_id": incident["id"]}
    no_area = bdb.post(f"/api/v1/oversight/projects/{pid}/rectifications", json=body)
    assert no_area.status_code == 422  # the order names its duty area
    not_mine = api("cac", "WXB").post(
        f"/api/v1/oversight/projects/{pid}/rectifications", json={**body, "area": "incident"}
    )
    assert not_mine.status_code == 403 and not_mine.json()["rule"] == "R-19.1"
    rect = ok(
        bdb.post(
            f"/api/v1/oversight/projects/{pid}/rectifications",
            json={
                **body,
                "area": "incident",
                "escalate_to": "suspend",
                "escalation_basis": "第十九条：工程严重逾期的，可暂停项目建设",
            },
        ),
        201,
    )
    # the deadline is pushed to the unit before it runs out
    ok(bdb.post("/api/v1/oversight/clocks:scan", params={"as_of": (deadline - timedelta(days=7)).isoformat()}))
    key = f"govpm-rectification-{pid}-unit-{rect['id']}"
    assert eventually(lambda: yzt.by_project(pid).get(key), timeout=30)["org"] == org
    assert [i["ref"] for i in ok(unit.get("/api/v1/oversight/clocks"))["items"]] == [rect["id"]]
    late = ok(
        bdb.get(
            "/api/v1/oversight/rectifications/overdue", params={"as_of": (deadline + timedelta(days=1)).isoformat()}
        )
    )
    mine = [i for i in late["items"] if i["id"] == rect["id"]]
    assert mine and mine[0]["next_step"] == "criticism" and mine[0]["days_overdue"] == 1
    # within its deadline the order opens no sanction ...
    early = bdb.post(
        f"/api/v1/oversight/projects/{pid}/sanctions",
        json={"level": "suspend", "reason": "进度滞后", "rectification_id": rect["id"]},
    )
    assert early.status_code == 409 and early.json()["rule"] == "R-30.2"
    # ... the unit answers, bdb verifies it still non-compliant: the ladder opens.
    assert (
        ok(unit.post(f"/api/v1/oversight/rectifications/{rect['id']}/close", json={"evidence": "整改计划"}))["status"]
        == "answered"
    )
    eventually(lambda: yzt.by_project(pid)[key]["status"] == "done", timeout=30)  # answered: the unit's to-do is done
    verify = f"govpm-rectification_verification-{pid}-bdb-{rect['id']}@{oversight_today.isoformat()}"
    assert eventually(lambda: yzt.by_project(pid).get(verify), timeout=30)["role"] == "bdb"
    assert (
        ok(
            bdb.post(
                f"/api/v1/oversight/rectifications/{rect['id']}/verification",
                json={"result": "non_compliant", "opinion": "仍严重滞后"},
            )
        )["opens_ladder"]
        is True
    )
    eventually(lambda: yzt.by_project(pid)[verify]["status"] == "done", timeout=30)

    # Budget pays once the contract is there ...
    budget = budget_path(pid)
    eventually(lambda: finance.get(budget).status_code == 200, timeout=20)
    contract = ok(
        unit.post(
            f"{budget}/contracts",
            json={
                "contract_no": "HT-OV-001",
                "supplier": "盐城某科技公司",
                "amount": "290000.00",
                "procurement_method": "competitive_consultation",
                "signed_on": approved_on.isoformat(),
            },
        ),
        201,
    )
    rid = fund(api, unit, pid, "52000.00", contract["id"])  # plan line and confirmed request
    ok(
        finance.post(f"{budget}/disbursements", json={"amount": "50000.00", "purpose": "首付款", "request_id": rid}),
        201,
    )

    # ... bdb suspends: budget refuses the next payment ...
    ok(
        bdb.post(
            f"/api/v1/oversight/projects/{pid}/sanctions",
            json={"level": "suspend", "reason": "整改后仍不符合要求", "rectification_id": rect["id"]},
        ),
        201,
    )
    eventually(lambda: finance.get(budget).json()["status"] == "suspended", timeout=20)
    r = finance.post(f"{budget}/disbursements", json={"amount": "1000.00", "purpose": "进度款", "request_id": rid})
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"
    assert bdb.get(view_path).json()["status"] == "suspended"

    # ... then resumes, and the payment goes through.
    ok(bdb.post(f"/api/v1/oversight/projects/{pid}/resume", json={"reason": "已制定整改计划"}))
    eventually(lambda: finance.get(budget).json()["status"] != "suspended", timeout=20)
    ok(finance.post(f"{budget}/disbursements", json={"amount": "1000.00", "purpose": "进度款", "request_id": rid}), 201)

    # The whole-project view and its timeline show all of it, in order.
    def settled():
        v = bdb.get(view_path).json()
        assert v["money"]["paid_total"] == "51000.00", v["money"]
        return v

    view = eventually(settled, timeout=30)
    assert view["status"] == "in_construction"
    assert view["reports"]["reported_quarters"] == [f"{q0[0]}-Q{q0[1]}", f"{q1[0]}-Q{q1[1]}"]
    assert view["supervision"]["incidents"] == 1 and view["supervision"]["open_rectifications"] == 1
    assert view["supervision"]["last_sanction"] == "suspend"
    listed = ok(unit.get("/api/v1/projects", params={"limit": 200}))["items"]
    assert [p["project_id"] for p in listed] == [pid]

    timeline = ok(bdb.get(f"{view_path}/timeline"))["items"]
    types = [e["type"] for e in timeline]
    expected = [
        "EmergencyProjectRegistered",
        "ProjectApproved",
        "ConstructionFiled",
        "ProgressReported",
        "ProgressReported",
        "ProgressReportOverdue",
        "IncidentReported",
        "RectificationOrdered",
        "RectificationAnswered",
        "RectificationVerified",
        "SanctionApplied",
        "ProjectSuspended",
        "ProjectResumed",
    ]
    pos = -1  # each expected type appears after the previous one
    for t in expected:
        pos = types.index(t, pos + 1)
    assert [e["time"] for e in timeline] == sorted(e["time"] for e in timeline)
    services = {e["service"] for e in timeline}
    assert {"reserve", "approval", "budget", "oversight"} <= services
    suspended = next(e for e in timeline if e["type"] == "ProjectSuspended")
    assert suspended["rule"] == "R-30.2" and suspended["actor"] and suspended["service"] == "oversight"
    assert any(e["type"] == "DisbursementRecorded" and e["service"] == "budget" for e in timeline)

    # Rebuilding the read model from every service's event log gives the same view.
    def snapshot():
        return (bdb.get(view_path).json(), bdb.get(f"{view_path}/timeline").json()["items"])

    before = eventually(lambda: (a := snapshot()) == snapshot() and a, timeout=20)
    job = ok(bdb.post("/api/v1/oversight/projects:rebuild"), 202)  # a background job with a status resource
    rebuilt = eventually(
        lambda: (j := bdb.get(f"/api/v1/oversight/rebuilds/{job['id']}").json())["status"] == "done" and j, timeout=60
    )
    assert rebuilt["events"] >= len(before[1]) and rebuilt["sources"]["oversight"] >= 8
    assert snapshot() == before
