"""End to end (issue 4): real broker, services and gateway as processes, and a fake provincial
platform. A ≥ 2,000,000 元 project goes through materials → submit (flagged duplicate, failed
data-collection check) → expert and joint review → leading group → finance's estimate review in
budget → opinions → ProjectApproved → provincial code by callback; a < 500,000 元 project is
approved without an estimate review."""

from __future__ import annotations

import pytest
from tests.e2e.fakes.provincial import FakeProvincialPlatform
from tests.e2e.flows import (
    APPROVAL_BUREAU,
    BDB,
    CALLBACK_SECRET,
    adjust,
    api_factory,
    application,
    application_path,
    approval_document,
    approve,
    build_stack,
    declare_emergency,
    estimate_reached_approval,
    eventually,
    leading_group_approves,
    line_items,
    ok,
    prepare_application,
    reapprove,
    review,
    review_estimate,
    started,
    submit_application,
    technical_opinion,
    unique_org,
)

EXPERTS = (("张教授", 86), ("李高工", 78))


@pytest.fixture(scope="module")
def approval_stack():
    """A stack whose approval service talks to the fake provincial platform."""
    fake = FakeProvincialPlatform(CALLBACK_SECRET)
    s = build_stack(
        "approval",
        GOVPM_APPROVAL_PROVINCIAL_URL=fake.url,
        GOVPM_PROVINCIAL_CALLBACK_SECRET=CALLBACK_SECRET,
        GOVPM_APPROVAL_PROVINCIAL_POLL_S="0.3",
    )
    fake.callback_url = f"{s.gateway_url}/api/v1/approval/callbacks/provincial/project-code"
    fake.start()
    try:
        with started(s):
            yield s, fake
    finally:
        fake.stop()


@pytest.fixture
def as_(approval_stack):
    with api_factory(approval_stack[0].gateway_url) as make:
        yield make


def test_big_project_through_review_approval_and_provincial_code(approval_stack, as_):
    _, fake = approval_stack
    org = unique_org("CG")
    unit, bdb = as_("unit", org), as_("bdb", "BDB")
    expert, bureau = as_("expert", "EXPERTS"), as_("approval_bureau", "XZSP")
    leading, finance = as_("leading_group", "LG"), as_("finance", "CZJ")

    # The registry of existing systems and the shared catalogs, loaded by bdb.
    ok(
        bdb.post(
            "/api/v1/approval/registry/systems:bulk",
            json={
                "items": [
                    {
                        "id": f"SYS-{org}",
                        "org": "ORG-SJ",
                        "name": "城市运行综合指挥平台",
                        "functions": ["事件派遣", "视频联网"],
                        "data_items": ["城市部件"],
                        "is_platform": True,
                    }
                ]
            },
        )
    )
    ok(
        bdb.post(
            "/api/v1/approval/catalogs/items:bulk",
            json={
                "items": [
                    {
                        "id": f"CAT-{org}",
                        "org": "ORG-SCJG",
                        "catalog": "市场主体信息",
                        "name": "企业统一社会信用代码",
                        "share_type": "unconditional",
                        "open_type": "conditional",
                    }
                ]
            },
        )
    )

    pid = declare_emergency(unit, "2500000.00", title="城市运行综合指挥平台升级")
    app_path = application_path(pid)
    app = application(unit, pid)
    assert app["status"] == "open" and app["route"] == "emergency"
    assert app["leading_group_required"] is True and app["estimate_review_required"] is True

    prepare_application(
        unit,
        pid,
        {
            "uses_shared_infrastructure": True,
            "serves_public": True,
            "entrances": ["susufuban", "yanzhengtong"],
            "functions": [{"name": "事件派遣", "audience": "office"}, {"name": "视频联网"}],
            "data_items": [{"name": "城市部件"}, {"name": "企业统一社会信用代码"}],
            "county_extension": True,
        },
    )
    submitted = submit_application(unit, pid)
    assert submitted["status"] == "under_review"
    checks = {c["rule"]: c for c in ok(unit.get(f"{app_path}/checks"))["items"]}
    assert checks["X-10.3"]["result"] == "flag"  # a flagged duplicate of an existing system
    assert checks["X-10.3"]["details"]["overlaps"][0]["id"] == f"SYS-{org}"
    assert checks["R-10.5"]["result"] == "fail"  # data that sharing already provides
    assert checks["R-10.5"]["details"]["matches"][0]["catalog_item_id"] == f"CAT-{org}"

    review(pid, experts=expert, joint=bureau, scores=EXPERTS)
    r = bdb.post(f"{app_path}/technical-opinion", json={"document_no": "盐数审〔2027〕1号"})
    assert r.status_code == 409 and r.json()["rule"] == "R-11.2"  # the leading group first
    leading_group_approves(leading, pid)
    technical_opinion(bdb, pid, "盐数审〔2027〕1号")
    r = bureau.post(
        f"{app_path}/approval-document", json={"document_no": "盐审批〔2027〕8号", "construction_months": 12}
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-25.1"  # waits for finance

    # Budget opened the estimate review from ReviewStarted; finance reviews it.
    review_estimate(finance, pid, estimated="2500000.00", reviewed="2400000.00", report_no="盐财评〔2027〕3号")
    estimate_reached_approval(unit, pid)

    approved = approval_document(bureau, pid, "盐审批〔2027〕8号")
    assert approved["status"] == "approved" and approved["approved_investment"] == "2400000.00"

    # The provincial platform was asked in the background and answered on the signed callback.
    final = eventually(lambda: (lambda a: a if a["project_code"] else None)(unit.get(app_path).json()), timeout=20)
    assert final["project_code_status"] == "assigned"
    assert final["project_code"].split("-")[1].startswith("3209")
    assert any(req["project_id"] == pid for req in fake.requests)

    # Budget consumed ProjectApproved: the reviewed amount is the approved investment there too.
    eventually(
        lambda: finance.get(f"/api/v1/budget/projects/{pid}").json().get("approved_investment") == "2400000.00",
        timeout=20,
    )


def test_small_project_is_approved_without_estimate_review(approval_stack, as_):
    org = unique_org("XX")
    unit, bdb = as_("unit", org), as_("bdb", "BDB")
    expert, bureau = as_("expert", "EXPERTS"), as_("approval_bureau", "XZSP")
    pid = declare_emergency(unit, "499999.99", title="应急物资调度小程序")
    app_path = application_path(pid)
    app = application(unit, pid)
    assert app["estimate_review_required"] is False and app["leading_group_required"] is False
    prepare_application(
        unit,
        pid,
        {
            "uses_shared_infrastructure": True,
            "serves_public": False,
            "entrances": [],
            "data_items": [{"name": "物资库存"}],
            "county_extension": False,
            "county_extension_reason": "仅市级应急储备使用",
        },
    )
    submit_application(unit, pid)
    review(pid, experts=expert, joint=bureau, scores=EXPERTS)
    r = as_("leading_group", "LG").post(
        f"{app_path}/leading-group-decision", json={"decision": "approve", "opinion": "x"}
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-11.2"
    technical_opinion(bdb, pid, "盐数审〔2027〕2号")
    approved = approval_document(bureau, pid, "盐审批〔2027〕9号")
    assert approved["status"] == "approved" and approved["approved_investment"] == "499999.99"
    assert approved["estimate_review"] is None

    # Wrong actors and bad input get problem+json and change nothing.
    adjusted = adjust(
        unit, pid, line_items(软件开发="400000.00", 硬件="99999.99"), line_items(软件开发="325000.01", 硬件="174999.98")
    )
    # 74,999.99 moved, computed from the contents: ≤ 15% of 499,999.99 (74,999.9985)
    assert adjusted["outcome"] == "self_adjusted" and adjusted["amount_moved"] == "74999.99"
    r = as_("unit", unique_org()).get(app_path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    r = unit.post(f"{app_path}/technical-opinion", json={"document_no": "x"})
    assert r.status_code == 403


def test_thresholds_on_the_approval_documents_amount(approval_stack, as_):
    """Issue 14 (R-11.2, R-25.1): declared at 499,999.99, an approval document of 2,500,000 is refused,
    naming the leading group and the estimate review it would skip."""
    unit = as_("unit", unique_org("YZ"))
    bdb, bureau = as_("bdb", BDB), as_("approval_bureau", APPROVAL_BUREAU)
    pid = declare_emergency(unit, "499999.99", title="应急广播系统")
    application(unit, pid)
    prepare_application(unit, pid)
    submit_application(unit, pid)
    review(pid, experts=bdb, joint=bdb)
    technical_opinion(bdb, pid)
    r = bureau.post(
        f"{application_path(pid)}/approval-document",
        json={"document_no": "PF-X", "approved_investment": "2500000.00", "construction_months": 12},
    )
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert [v["rule"] for v in r.json()["violations"]] == ["R-11.2", "R-25.1", "R-10.1"]
    assert unit.get(application_path(pid)).json()["status"] == "under_review"
    assert approval_document(bureau, pid, approved_investment="499999.99")["approved_investment"] == "499999.99"


def test_reapproval_keeps_budget_at_the_old_approval_until_approved(approval_stack, as_):
    """R-20.1/R-20.2: cutting 1,000,000 to 500,000 moves 500,000 — a re-approval, tracked by approval;
    budget holds payments to the old approval until ReapprovalApproved sets the new one."""
    unit = as_("unit", unique_org("TZ"))
    bdb, bureau, finance = as_("bdb", BDB), as_("approval_bureau", APPROVAL_BUREAU), as_("finance", "CZJ")
    pid = declare_emergency(unit, "1000000.00", title="应急物资仓储管理系统")
    approve(as_, unit, pid, "1000000.00")
    adjusted = adjust(
        unit,
        pid,
        line_items(软件开发="600000.00", 硬件="400000.00"),
        line_items(软件开发="300000.00", 硬件="200000.00"),
    )
    assert adjusted["outcome"] == "reapproval_required" and adjusted["amount_moved"] == "500000.00"
    rid = adjusted["reapproval_required"]
    budget = f"/api/v1/budget/projects/{pid}"
    eventually(lambda: finance.get(budget).json().get("approved_investment") == "1000000.00", timeout=20)
    pending = ok(unit.get(f"{application_path(pid)}/reapprovals/{rid}"))
    assert pending["status"] == "pending" and pending["missing"]
    done = reapprove(bdb, bureau, pid, rid)
    assert done["approved_investment"] == "500000.00"
    eventually(lambda: finance.get(budget).json().get("approved_investment") == "500000.00", timeout=20)
