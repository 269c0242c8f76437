"""Portal adapters against fake 盐政通/苏服办 servers: to-dos opened and closed, public status pushed."""

import uuid
from datetime import UTC, datetime

from tests.e2e.fakes.portals import FakeSusufuban, FakeYanzhengtong

from govkit.dev.testing import eventually as until
from govkit.events import CloudEvent

SOURCES = {
    "EstimateReviewOpened": "budget",
    "EstimateReviewed": "budget",
    "ReviewStarted": "approval",
    "JointReviewDecided": "approval",
    "SpecialAdditionRequested": "reserve",
    "SpecialAdditionDecided": "reserve",
    "ProgressReportOverdue": "oversight",
    "ProgressReported": "oversight",
    "ProjectApproved": "approval",
    "ProjectCodeAssigned": "approval",
    "FinalAccepted": "acceptance",
    "ProjectSuspended": "oversight",
    "SupervisionDeadline": "oversight",
    "AcceptanceDeadline": "acceptance",
}


def ev(type_, pid, **data):
    return CloudEvent(
        source=f"/govpm/{SOURCES[type_]}",
        type=type_,
        time=datetime.now(UTC),
        subject=pid,
        data={"project_id": pid, **data},
    )


async def test_todos_and_public_status(make_gateway):
    with FakeYanzhengtong(token="yzt-token") as yzt, FakeSusufuban() as sfb:
        async with make_gateway(
            yanzhengtong_url=yzt.url,
            yanzhengtong_token="yzt-token",
            susufuban_url=sfb.url,
            webhook_backoff_s=0.05,
            webhook_poll_s=0.05,
        ) as gw:
            handle = gw.app.state.consumer.handle
            pid = str(uuid.uuid4())
            yzt.fail_next = 1  # the first call fails: retried
            await handle(ev("EstimateReviewOpened", pid, estimated_investment="800000.00", due_on="2027-03-01"))
            await handle(
                ev(
                    "ReviewStarted",
                    pid,
                    org="ORG-A",
                    title="智慧城管",
                    estimated_investment="800000.00",
                    declared_on="2027-01-01",
                )
            )
            await until(lambda: len(yzt.by_project(pid)) == 3)
            todos = yzt.by_project(pid)
            assert {(t["kind"], t["role"]) for t in todos.values()} == {
                ("estimate_review", "finance"),
                ("joint_review", "bdb"),
                ("joint_review", "approval_bureau"),
            }
            assert all(t["status"] == "open" for t in todos.values())
            await handle(ev("EstimateReviewed", pid, report_no="GS-1", reviewed_amount="780000.00"))
            await handle(ev("JointReviewDecided", pid, decision="approve"))
            await until(lambda: all(t["status"] == "done" for t in yzt.by_project(pid).values()))

            # special addition: each bureau's to-do closes with its decision
            pid2 = str(uuid.uuid4())
            await handle(ev("SpecialAdditionRequested", pid2, reason="上级部署"))
            await until(lambda: len(yzt.by_project(pid2)) == 3)
            await handle(
                ev("SpecialAdditionDecided", pid2, bureau="bdb", decision="agree", opinion="同意", outcome="pending")
            )
            await until(lambda: yzt.by_project(pid2)[f"govpm-special_addition-{pid2}-bdb"]["status"] == "done")
            assert yzt.by_project(pid2)[f"govpm-special_addition-{pid2}-finance"]["status"] == "open"

            # overdue report for bdb, closed by the report of that quarter
            await handle(ev("ProgressReportOverdue", pid, year=2027, quarter=2, due_on="2027-07-10"))
            await until(lambda: f"govpm-overdue_report-{pid}-bdb-2027Q2" in yzt.by_project(pid))
            await until(lambda: f"govpm-overdue_report-{pid}-unit-2027Q2" in yzt.by_project(pid))
            await handle(
                ev(
                    "ProgressReported",
                    pid,
                    year=2027,
                    quarter=2,
                    development_progress_pct=40,
                    investment_completed_year="1.00",
                    funds_used_year="1.00",
                    investment_completed_total="1.00",
                    funds_used_total="1.00",
                )
            )
            await until(lambda: yzt.by_project(pid)[f"govpm-overdue_report-{pid}-bdb-2027Q2"]["status"] == "done")
            await until(lambda: yzt.by_project(pid)[f"govpm-overdue_report-{pid}-unit-2027Q2"]["status"] == "done")

            # 苏服办: only public-facing projects
            await handle(ev("ProjectApproved", pid, org="ORG-A", title="智慧城管", serves_public=True))
            await handle(ev("ProjectCodeAssigned", pid, project_code="2027-320900-65-01-000001"))
            await handle(ev("FinalAccepted", pid, org="ORG-A"))
            internal = str(uuid.uuid4())
            await handle(ev("ProjectApproved", internal, org="ORG-B", title="内部办公", serves_public=False))
            await handle(ev("FinalAccepted", internal, org="ORG-B"))
            await until(lambda: len(sfb.of_project(pid)) == 3)
            assert sfb.of_project(pid) == ["approved", "code_assigned", "final_accepted"]
            assert sfb.of_project(internal) == []
            assert all(r["headers"].get("authorization") == "Bearer yzt-token" for r in yzt.requests)


async def test_x30_1_clocks_reach_the_party_that_must_act(make_gateway):
    with FakeYanzhengtong() as yzt:
        async with make_gateway(yanzhengtong_url=yzt.url, webhook_backoff_s=0.05, webhook_poll_s=0.05) as gw:
            handle = gw.app.state.consumer.handle
            pid = str(uuid.uuid4())
            await handle(
                ev(
                    "AcceptanceDeadline",
                    pid,
                    clock="acceptance_due",
                    phase="approaching",
                    role="unit",
                    org="ORG-A",
                    due_on="2027-06-30",
                    ref="2027-06-30",
                    rule="R-21.5",
                    title="智慧城管",
                    message="项目应于2027-06-30前完成竣工验收",
                )
            )
            await handle(
                ev(
                    "SupervisionDeadline",
                    pid,
                    clock="rectification",
                    phase="overdue",
                    role="finance",
                    due_on="2027-05-01",
                    ref="r1",
                    rule="R-30.2",
                    message="整改已逾期",
                )
            )
            key = f"govpm-acceptance_due-{pid}-unit-2027-06-30"
            await until(lambda: key in yzt.by_project(pid) and len(yzt.by_project(pid)) == 2)
            todo = yzt.by_project(pid)[key]
            assert todo["org"] == "ORG-A" and todo["role"] == "unit" and "2027-06-30" in todo["summary"]
            assert todo["title"].startswith("【竣工验收期限·即将到期】")
            fin = yzt.by_project(pid)[f"govpm-rectification-{pid}-finance-r1"]
            assert fin["role"] == "finance" and "org" not in fin
            await handle(
                ev(
                    "AcceptanceDeadline",
                    pid,
                    clock="acceptance_due",
                    phase="cleared",
                    role="unit",
                    ref="2027-06-30",
                    message="已竣工验收",
                )
            )
            await until(lambda: yzt.by_project(pid)[key]["status"] == "done")
            assert yzt.by_project(pid)[f"govpm-rectification-{pid}-finance-r1"]["status"] == "open"


async def test_portals_off_without_url(gw):
    assert not gw.app.state.portals.enabled
